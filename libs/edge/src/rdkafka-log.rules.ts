/** One of librdkafka's own log lines, as the native addon hands them over. */
export interface RdkafkaLogLine {
  /** syslog levels: 0 emergency … 3 error, 4 warning, 5 notice, 6 info, 7 debug. */
  level: number;
  /** "FACILITY: text". */
  message: string;
}

export interface EdgeLogDecision {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown>;
}

/**
 * Right after a broker (re)start its transaction coordinator is still loading, and the
 * idempotent producer's first InitProducerId is refused with "Coordinator load in progress";
 * librdkafka retries by itself and holds every line until it gets a producer id, so nothing is
 * lost or duplicated. Its warning reads like a failure; this says what it is, at info level.
 */
const COORDINATOR_LOADING =
  /idempotence PID|Coordinator load in progress|COORDINATOR_LOAD_IN_PROGRESS/;

/** How the edge logs a librdkafka log line: by its level, except the known transient above. */
export function classifyRdkafkaLog(line: RdkafkaLogLine): EdgeLogDecision {
  if (COORDINATOR_LOADING.test(line.message) && /load in progress/i.test(line.message)) {
    return {
      level: 'info',
      msg: 'kafka: waiting for the broker to finish loading its transaction coordinator; lines wait in the queue, none is lost (normal right after a broker start)',
      fields: { librdkafka: line.message },
    };
  }
  const level =
    line.level <= 3 ? 'error' : line.level === 4 ? 'warn' : line.level <= 6 ? 'info' : 'debug';
  return { level, msg: 'librdkafka', fields: { librdkafka: line.message } };
}
