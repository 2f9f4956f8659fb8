import { DataSource } from 'typeorm';
import { loadArchiverConfig } from '@logstream/config';
import { ArchiverMetrics, ArchiverService } from '@logstream/archive';
import { createKafkaClient, registerKafkaDecoders } from '@logstream/kafka';
import { createLogger, runMain, startProbeServer, untilAborted } from '@logstream/observability';
import { typeOrmOptions, initializeWithRetry } from '@logstream/persistence';

const HELP = `Usage: logstream-archiver [--help]

Delivers every archived customer's log lines as compressed objects to the customer's own
S3-compatible bucket. Instances share the work in one Kafka consumer group; run more for more.

Configuration (environment; defaults suit the local platform):
  LOGSTREAM_DATABASE_URL                  postgres://postgres@127.0.0.1:5432/logstream
  LOGSTREAM_KAFKA_BROKERS                 127.0.0.1:19092 (+ LOGSTREAM_KAFKA_CA_FILE/_CERT_FILE/_KEY_FILE for SSL)
  LOGSTREAM_ARCHIVE_SECRET_KEY            32 bytes, base64: decrypts destination secrets (required in production)
  LOGSTREAM_ARCHIVER_GROUP_ID             logstream-archiver
  LOGSTREAM_ARCHIVER_REFRESH_MS           5000 between reads of the archive settings
  LOGSTREAM_ARCHIVER_STATUS_INTERVAL_MS   2000 between status writes
  LOGSTREAM_ARCHIVER_RETRY_MIN_MS/_MAX_MS 1000/30000 upload backoff
  LOGSTREAM_ARCHIVER_UPLOAD_TIMEOUT_MS    60000 per upload attempt
  LOGSTREAM_ARCHIVER_GZIP_LEVEL/_ZSTD_LEVEL 6/3
  LOGSTREAM_ARCHIVER_HTTP_HOST/_PORT      127.0.0.1:9303 (/healthz, /readyz, /metrics)
  LOGSTREAM_LOG_LEVEL                     info
`;

async function main(signal: AbortSignal): Promise<number> {
  const config = loadArchiverConfig();
  const log = createLogger({ app: 'archiver', level: config.logLevel });
  if (config.secretKey.development) {
    log.warn('the development archive key is in use; set LOGSTREAM_ARCHIVE_SECRET_KEY');
  }
  const db = new DataSource(typeOrmOptions(config.database, 'logstream-archiver'));
  await initializeWithRetry(db, log, signal);
  // The edge producer writes lz4 (zstd configurable), which kafkajs cannot read by itself: without
  // the decoders every fetch of edge-written lines crashed the consumer, over and over.
  registerKafkaDecoders();
  const kafka = createKafkaClient(config.kafka, (level, message, extra) =>
    log.log(level, message, { source: 'kafkajs', ...extra }),
  );
  const metrics = new ArchiverMetrics();
  const service = new ArchiverService(db, kafka, config, metrics, log);
  const probes = await startProbeServer({
    host: config.httpHost,
    port: config.httpPort,
    logger: log,
    health: () => ({ ready: service.ready }),
    readiness: () => ({ ready: service.ready }),
    metrics: () => metrics.registry.metrics(),
    metricsContentType: metrics.registry.contentType,
  });
  log.info('archiver started', {
    http: `${config.httpHost}:${probes.port}`,
    groupId: config.groupId,
  });
  const running = service.run(signal);
  await untilAborted(signal);
  await running;
  await service.stop();
  await db.destroy();
  await probes.close();
  return 0;
}

runMain({ app: 'archiver', help: HELP }, (ctx) => main(ctx.signal));
