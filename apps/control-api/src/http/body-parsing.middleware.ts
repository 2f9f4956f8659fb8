import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body.factory';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The panel's HTML forms post form bodies; everything else takes JSON only. */
function isPanelForm(req: Request): boolean {
  return (
    (req.path === '/panel' || req.path.startsWith('/panel/')) &&
    typeof req.is('application/x-www-form-urlencoded') === 'string'
  );
}

/** A body in anything but JSON answers 415 instead of being silently ignored. */
export function requireJsonBodies() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (hasBody(req) && !isPanelForm(req) && !req.is(['application/json', 'application/*+json'])) {
      res
        .status(415)
        .json(
          errorBody(
            415,
            'the request body must be JSON: send it with "Content-Type: application/json"',
          ),
        );
      return;
    }
    next();
  };
}

interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  const e = err as Partial<BodyParserError> | null;
  return typeof e?.type === 'string' && typeof e.status === 'number';
}

function describe(err: BodyParserError, limitBytes: number): [number, string] {
  switch (err.type) {
    case 'entity.too.large':
      return [413, `the request body is too large: at most ${limitBytes} bytes are accepted`];
    case 'entity.parse.failed':
      return [400, `the request body is not valid JSON: ${err.message}`];
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return [415, `${err.message}; send UTF-8 JSON without content encoding`];
    case 'request.aborted':
    case 'request.size.invalid':
      return [400, `the request body was not received whole: ${err.message}`];
    default:
      return [err.status >= 400 && err.status < 500 ? err.status : 400, err.message];
  }
}

/**
 * Answers the JSON body parser's errors (malformed JSON, too large, bad charset) with the API's
 * error body; other errors go on to Nest.
 */
export function bodyParserErrors(limitBytes: number) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (!isBodyParserError(err)) {
      next(err);
      return;
    }
    const [status, message] = describe(err, limitBytes);
    // The rest of an oversize body is not read; close the connection instead of draining it.
    if (status === 413) res.setHeader('Connection', 'close');
    res.status(status).json(errorBody(status, message));
  };
}
