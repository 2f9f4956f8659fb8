import { setInterval as every } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig, loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, registerKafkaDecoders } from '@logstream/kafka';
import { createLogger, errorMessage, runMain, startProbeServer } from '@logstream/observability';
import { StatsRollupRepository, typeOrmOptions } from '@logstream/persistence';
import {
  loadAggregatorConfig,
  ROLLUP_RETENTION_MS,
  rollupRows,
  StatsAggregatorService,
} from '@logstream/stats';

const HELP = `Usage: logstream-aggregator [--help]

Traffic statistics per customer: reads every cdn-logs.<id> topic in one consumer group (more
instances share the customers), parses each line in the configured access-log format, and writes
10 s and 1 min windows to the compacted topic cdn-stats.<id> in Kafka transactions that commit
the input offsets with them (exactly once across restarts), and the 1 min windows to PostgreSQL
(30 days) for the control API. See docs/statistics.md.

Configuration (environment; defaults suit the local platform):
  LOGSTREAM_KAFKA_BROKERS             127.0.0.1:19092 (+ LOGSTREAM_KAFKA_CA_FILE/_CERT_FILE/_KEY_FILE for SSL)
  LOGSTREAM_DATABASE_URL              postgres://postgres@127.0.0.1:5432/logstream
  LOGSTREAM_STATS_ROLLUPS             true (false: Kafka only, no PostgreSQL)
  LOGSTREAM_STATS_GROUP               logstream-aggregator (consumer group and transactional id prefix)
  LOGSTREAM_STATS_LOG_FORMAT          combined-msec (a preset: combined, combined-msec; or a
                                      varnishncsa -F string such as '%h %l %u %t "%r" %s %b')
  LOGSTREAM_STATS_LATENESS_MS         5000 (lines later than this after their window are "late")
  LOGSTREAM_STATS_FLUSH_MS            1000 between transactions per customer
  LOGSTREAM_STATS_TOPIC_REFRESH_MS    10000 between looks for new customer topics
  LOGSTREAM_STATS_HLL_PRECISION       14 (unique visitors: standard error 1.04/sqrt(2^p) = 0.81%)
  LOGSTREAM_STATS_TOP_COUNTERS        100 Space-Saving counters per top list
  LOGSTREAM_STATS_TOP_N               20 entries reported per top list
  LOGSTREAM_STATS_CUSTOMER_PREFIX     (all) only customers whose id starts with this
  LOGSTREAM_STATS_HTTP_HOST/_PORT     127.0.0.1:9304 (/healthz, /readyz, /metrics)
  LOGSTREAM_LOG_LEVEL                 info
`;

runMain({ app: 'aggregator', help: HELP }, async ({ signal }) => {
  const config = loadAggregatorConfig();
  const kafkaConfig = loadKafkaConfig('logstream-aggregator');
  const dbConfig = config.rollups ? loadDatabaseConfig() : undefined;
  const log = createLogger({ app: 'aggregator', level: config.logLevel });
  registerKafkaDecoders();
  const kafka = createKafkaClient(kafkaConfig, (level, message, extra) =>
    log.log(level, message, { source: 'kafkajs', extra: JSON.stringify(extra) }),
  );
  let db: DataSource | undefined;
  let repo: StatsRollupRepository | undefined;
  if (dbConfig) {
    db = new DataSource(typeOrmOptions(dbConfig, 'logstream-aggregator'));
    await db.initialize();
    repo = new StatsRollupRepository(db.manager);
  }
  const service = new StatsAggregatorService(
    kafka,
    kafkaConfig,
    config,
    log,
    repo ? (records) => repo.replace(rollupRows(records)) : undefined,
  );
  const probes = await startProbeServer({
    host: config.httpHost,
    port: config.httpPort,
    logger: log,
    health: () => ({ ...service.counters }),
    metrics: () =>
      Object.entries(service.counters)
        .map(([k, v]) => `# TYPE logstream_aggregator_${k} gauge\nlogstream_aggregator_${k} ${v}\n`)
        .join(''),
  });
  log.info('aggregator started', { http: `${config.httpHost}:${probes.port}` });
  const pruning = repo ? prune(repo, signal, log) : Promise.resolve();
  try {
    await service.run(signal);
  } finally {
    await probes.close();
    await pruning.catch(() => undefined);
    await db?.destroy();
  }
  return 0;
});

/** Deletes rollups older than 30 days, at start and hourly. */
async function prune(
  repo: StatsRollupRepository,
  signal: AbortSignal,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const once = async () => {
    try {
      const removed = await repo.prune(new Date(Date.now() - ROLLUP_RETENTION_MS));
      if (removed > 0) log.info('old statistics rollups pruned', { removed });
    } catch (err) {
      log.warn('pruning statistics rollups failed', { error: errorMessage(err) });
    }
  };
  await once();
  try {
    for await (const _ of every(3600_000, undefined, { signal })) await once();
  } catch {
    // aborted: stopping
  }
}
