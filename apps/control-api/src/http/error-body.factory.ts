import { STATUS_CODES } from 'node:http';
import type { HttpException } from '@nestjs/common';
import type { ControlErrorKind } from '@logstream/control';

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

/** The HTTP status of each domain error, for the API's JSON answers and the panel's pages alike. */
export const STATUS_OF: Record<ControlErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
};

/** What a Nest HttpException says, validation messages joined. */
export function httpExceptionMessage(err: HttpException): string {
  const body = err.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : err.message;
}
