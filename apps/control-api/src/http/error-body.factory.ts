import { STATUS_CODES } from 'node:http';

/** Every error the API answers has this body, whatever went wrong and wherever. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Quotes a client-supplied value for an error message: escaped and never overlong. */
export function quoteInput(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
