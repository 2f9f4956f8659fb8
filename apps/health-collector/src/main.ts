import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig, loadHealthCollectorConfig, loadKafkaConfig } from '@logstream/config';
import {
  AlertEngine,
  BrokerMetricsReader,
  EdgeStatsFollower,
  HealthCollector,
  HealthMetrics,
  HealthRepository,
  KafkaHealthReader,
  WebhookDelivery,
} from '@logstream/health';
import { createKafkaClient } from '@logstream/kafka';
import { createLogger, errorMessage, runMain, startProbeServer } from '@logstream/observability';
import { typeOrmOptions, initializeWithRetry } from '@logstream/persistence';

const HELP = `Usage: logstream-health-collector [--help]

Collects delivery health per customer every poll interval: produced lines/s, consumer groups'
lag in lines and seconds, retention risk, lost lines, edge drops; stores the latest snapshot and
one-minute rollups in PostgreSQL, evaluates alert rules and delivers signed webhooks. Edge
figures (routed bytes, inactive and oversize drops per customer) come from the edge nodes'
records on logstream.edge-stats.

Configuration (environment; defaults suit the local platform):
  LOGSTREAM_DATABASE_URL                    postgres://postgres@127.0.0.1:5432/logstream
  LOGSTREAM_KAFKA_BROKERS                   127.0.0.1:19092 (admin rights; + _CA_FILE/_CERT_FILE/_KEY_FILE for SSL)
  LOGSTREAM_HEALTH_POLL_MS                  15000 between collections
  LOGSTREAM_HEALTH_MAX_GROUPS_PER_CUSTOMER  20 groups counted per customer
  LOGSTREAM_HEALTH_RETENTION_RISK_PERCENT   75 (a group is at risk once its oldest unread line is this share of retention.ms old)
  LOGSTREAM_HEALTH_ROLLUP_DAYS              30 days of one-minute rollups kept
  LOGSTREAM_HEALTH_BROKER_METRICS_URLS      http://127.0.0.1:<port base + 9>/metrics (the brokers' JMX exporters; off)
  LOGSTREAM_ALERT_SECRET_KEY                64 hex characters (required in production)
  LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK/_PRIVATE false (development only)
  LOGSTREAM_WEBHOOK_ATTEMPTS/_BACKOFF_MS    8 attempts, 1000 ms first backoff (doubling)
  LOGSTREAM_HEALTH_HTTP_HOST/_PORT          127.0.0.1:9305 (/healthz, /readyz, /metrics)
  LOGSTREAM_LOG_LEVEL                       info
`;

async function main(signal: AbortSignal): Promise<number> {
  const config = loadHealthCollectorConfig();
  const kafkaConfig = loadKafkaConfig('logstream-health-collector');
  const dbConfig = loadDatabaseConfig();
  const log = createLogger({ app: 'health-collector', level: config.logLevel });

  const db = new DataSource(typeOrmOptions(dbConfig, 'logstream-health-collector'));
  await initializeWithRetry(db, log, signal);
  const kafka = createKafkaClient(kafkaConfig, (level, message, extra) =>
    log.log(level, message, { source: 'kafkajs', ...extra }),
  );
  const reader = new KafkaHealthReader(kafka, config.offsetFetchConcurrency);
  const metrics = new HealthMetrics();
  const repo = new HealthRepository(db);
  const edgeStats = new EdgeStatsFollower(kafka, log);
  const brokerMetrics = new BrokerMetricsReader(config.brokerMetricsUrls);
  edgeStats.start();
  const collector = new HealthCollector(
    reader,
    repo,
    metrics,
    log,
    {
      maxGroupsPerCustomer: config.maxGroupsPerCustomer,
      retentionRiskFraction: config.retentionRiskFraction,
      retentionRefreshEvery: 20,
    },
    () => edgeStats.take(),
    () => brokerMetrics.topicBytes(),
  );
  const alerts = new AlertEngine(db, log);
  collector.onCollection(async (snapshots, at) => {
    await alerts.evaluate(snapshots, at);
  });
  const delivery = new WebhookDelivery(db, log, {
    secretKey: config.alerts.secretKey,
    attempts: config.webhookAttempts,
    backoffMs: config.webhookBackoffMs,
    timeoutMs: config.webhookTimeoutMs,
    policy: {
      allowLoopback: config.alerts.allowLoopbackTargets,
      allowPrivate: config.alerts.allowPrivateTargets,
    },
  });

  let lastOk: string | null = null;
  let lastError: string | null = null;
  const probes = await startProbeServer({
    host: config.httpHost,
    port: config.httpPort,
    logger: log,
    health: () => ({
      lastCollectionAt: lastOk,
      lastError,
      brokerMetricsError: brokerMetrics.lastError,
    }),
    readiness: () => ({ ready: lastOk !== null, lastCollectionAt: lastOk }),
    metrics: () => metrics.registry.metrics(),
    metricsContentType: metrics.registry.contentType,
  });
  log.info('health collector started', {
    http: `${config.httpHost}:${probes.port}`,
    pollMs: config.pollIntervalMs,
  });

  const deliveryLoop = delivery.run(signal, Math.min(1000, config.pollIntervalMs));
  let connected = false;
  let lastPrune = 0;
  while (!signal.aborted) {
    const started = Date.now();
    const end = metrics.collectionSeconds.startTimer();
    try {
      if (!connected) {
        await reader.connect();
        connected = true;
      }
      const result = await collector.collectOnce();
      lastOk = result.at.toISOString();
      lastError = null;
      metrics.collections.inc({ outcome: 'ok' });
      if (started - lastPrune > 3600_000) {
        lastPrune = started;
        const pruned = await repo.pruneRollups(config.rollupRetentionDays);
        if (pruned > 0) log.info('old rollups pruned', { rows: pruned });
      }
    } catch (err) {
      lastError = errorMessage(err);
      metrics.collections.inc({ outcome: 'failed' });
      log.warn('collection failed; retrying next interval', { error: lastError });
    } finally {
      end();
    }
    const wait = Math.max(0, config.pollIntervalMs - (Date.now() - started));
    await sleep(wait, undefined, { signal }).catch(() => undefined);
  }
  await deliveryLoop;
  await edgeStats.stop();
  await reader.close();
  await db.destroy();
  await probes.close();
  return 0;
}

runMain({ app: 'health-collector', help: HELP }, (ctx) => main(ctx.signal));
