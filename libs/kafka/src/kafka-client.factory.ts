import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { KafkaConfig } from '@logstream/config';

export type KafkaLogSink = (
  level: 'error' | 'warn' | 'info' | 'debug',
  message: string,
  extra: object,
) => void;

const defaultSink: KafkaLogSink = (level, message, extra) => {
  if (level !== 'debug')
    console.error(JSON.stringify({ level, source: 'kafkajs', message, ...extra }));
};

/** kafkajs logs through the platform's JSON log lines, warnings and up only. */
function jsonLogCreator(sink: KafkaLogSink): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      // kafkajs logs every error response ("Response CreateTopics(...)") before throwing it;
      // the caller gets the typed error and decides, so the raw response is only debug.
      const routine = message.startsWith('Response ');
      const mapped = level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'info';
      sink(routine ? 'debug' : mapped, message, extra);
    };
}

/** A kafkajs client for the platform's own components (admin, registry writer, tests). */
export function createKafkaClient(config: KafkaConfig, sink: KafkaLogSink = defaultSink): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.tls
      ? {
          ca: [readFileSync(config.tls.caFile, 'utf8')],
          cert: readFileSync(config.tls.certFile, 'utf8'),
          key: readFileSync(config.tls.keyFile, 'utf8'),
        }
      : undefined,
    connectionTimeout: 5_000,
    requestTimeout: 15_000,
    retry: { initialRetryTime: 200, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: jsonLogCreator(sink),
  });
}
