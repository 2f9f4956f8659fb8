/**
 * What went wrong with a request, in the domain's words. The HTTP layer maps each kind to a
 * status code; the message is written for the person who sent the request.
 */
export type ControlErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests';

export class ControlError extends Error {
  constructor(
    readonly kind: ControlErrorKind,
    message: string,
    /** For `too_many_requests`: whole seconds until a retry can succeed. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export function tooManyRequests(message: string, retryAfterMs: number): ControlError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ControlError('too_many_requests', `${message}; retry in ${seconds} s`, seconds);
}

/** The same answer for "does not exist" and "not yours", so a token cannot probe other ids. */
export function customerNotFound(customerId: string): ControlError {
  return new ControlError('not_found', `customer "${customerId}" not found`);
}

export function customerBeingDeleted(customerId: string): ControlError {
  return new ControlError(
    'conflict',
    `customer "${customerId}" is being deleted; it cannot be changed any more`,
  );
}
