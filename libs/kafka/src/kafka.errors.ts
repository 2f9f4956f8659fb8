import { KafkaJSAggregateError, KafkaJSError, KafkaJSProtocolError } from 'kafkajs';

/**
 * A failed Kafka operation, typed so callers decide between backing off and reporting:
 * `retriable` is Kafka's own verdict (leader moved, coordinator loading, timeouts...), while
 * `code` names the protocol error when there is one (e.g. TOPIC_AUTHORIZATION_FAILED).
 */
export class KafkaOperationError extends Error {
  constructor(
    readonly operation: string,
    message: string,
    readonly retriable: boolean,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}: ${message}`, options);
    this.name = 'KafkaOperationError';
  }
}

/** Codes kafkajs marks not retriable that still clear up by themselves shortly. */
const TRANSIENT_CODES = new Set(['TOPIC_ALREADY_EXISTS_BEING_DELETED', 'CONCURRENT_TRANSACTIONS']);

export function toKafkaOperationError(operation: string, err: unknown): KafkaOperationError {
  if (err instanceof KafkaOperationError) return err;
  if (err instanceof KafkaJSProtocolError) {
    return new KafkaOperationError(
      operation,
      err.message,
      err.retriable || TRANSIENT_CODES.has(err.type),
      err.type,
      { cause: err },
    );
  }
  // KafkaJSAggregateError is not a KafkaJSError: createTopics reports per-topic failures in one.
  if (err instanceof KafkaJSError || err instanceof KafkaJSAggregateError) {
    // kafkajs wraps per-resource failures (createAcls, createTopics) in errors whose cause or
    // nested list holds the protocol error; surface its code when there is exactly one kind.
    const nested = nestedProtocolErrors(err);
    const code =
      nested.length > 0 && nested.every((e) => e.type === nested[0].type)
        ? nested[0].type
        : undefined;
    const retriable =
      nested.length > 0
        ? nested.every((e) => e.retriable)
        : err instanceof KafkaJSError && err.retriable;
    return new KafkaOperationError(operation, err.message, retriable, code, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new KafkaOperationError(operation, message, false, undefined, { cause: err });
}

function nestedProtocolErrors(err: Error): KafkaJSProtocolError[] {
  const found: KafkaJSProtocolError[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (depth > 3 || typeof e !== 'object' || e === null) return;
    if (e instanceof KafkaJSProtocolError) found.push(e);
    const record = e as { cause?: unknown; errors?: unknown; failures?: unknown };
    visit(record.cause, depth + 1);
    for (const list of [record.errors, record.failures]) {
      if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    }
  };
  visit((err as { cause?: unknown }).cause, 0);
  const record = err as unknown as { errors?: unknown };
  if (Array.isArray(record.errors)) for (const item of record.errors) visit(item, 0);
  return found;
}

/** Runs `fn`, turning whatever it throws into a {@link KafkaOperationError}. */
export async function kafkaOperation<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toKafkaOperationError(operation, err);
  }
}
