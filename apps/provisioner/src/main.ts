import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig, loadKafkaConfig, loadProvisionerConfig } from '@logstream/config';
import { ClientQuotasService, createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { createLogger, runMain, startProbeServer, untilAborted } from '@logstream/observability';
import { typeOrmOptions, initializeWithRetry } from '@logstream/persistence';
import {
  LeaderLock,
  ProvisionerMetrics,
  ProvisionerService,
  ProvisioningRepository,
  Reconciler,
  TenantRegistryWriter,
} from '@logstream/provisioning';

const HELP = `Usage: logstream-provisioner [--help]

Reconciles what customers asked for (PostgreSQL) into Kafka: topics, ACLs per credential, client
quotas per customer and the tenant registry. Only one instance works at a time (Postgres advisory lock, its key random
per database in table provisioner_lock); others stand by. The leader checks its lock every
LOGSTREAM_PROVISIONER_LOCK_CHECK_MS (2000) within _LOCK_CHECK_TIMEOUT_MS (3000) and stops all
work the moment a check fails (fencing).

Configuration (environment; defaults suit the local platform):
  LOGSTREAM_DATABASE_URL                 postgres://postgres@127.0.0.1:5432/logstream
  LOGSTREAM_KAFKA_BROKERS                127.0.0.1:19092 (+ LOGSTREAM_KAFKA_CA_FILE/_CERT_FILE/_KEY_FILE for SSL)
  LOGSTREAM_TOPIC_PARTITIONS             3
  LOGSTREAM_TOPIC_REPLICATION_FACTOR     1 (3 on a 3-broker cluster)
  LOGSTREAM_TOPIC_MIN_INSYNC_REPLICAS    min(2, replication factor)
  LOGSTREAM_TOPIC_RETENTION_MS           604800000 (7 days)
  LOGSTREAM_EDGE_PRINCIPALS              logstream-edge (edge producers' certificate CNs, comma-separated;
                                         enrolled nodes, table edge_nodes, are granted too)
  LOGSTREAM_PROVISIONER_OPERATOR_PRINCIPALS  (none) principals whose ACLs drift repair keeps
  LOGSTREAM_QUOTA_CONSUMER_BYTE_RATE     10485760 bytes/s per customer without its own quota
  LOGSTREAM_QUOTA_REQUEST_PERCENTAGE     100 (% of one broker thread) likewise
  LOGSTREAM_PROVISIONER_CONCURRENCY      16 customers reconciled in parallel
  LOGSTREAM_PROVISIONER_RESYNC_MS        30000 between drift checks
  LOGSTREAM_PROVISIONER_HTTP_HOST/_PORT  127.0.0.1:9302 (/healthz, /readyz, /metrics)
  LOGSTREAM_LOG_LEVEL                    info
`;

async function main(signal: AbortSignal): Promise<number> {
  const config = loadProvisionerConfig();
  const kafkaConfig = loadKafkaConfig('logstream-provisioner');
  const dbConfig = loadDatabaseConfig();
  const log = createLogger({ app: 'provisioner', level: config.logLevel });

  const db = new DataSource(typeOrmOptions(dbConfig, 'logstream-provisioner'));
  await initializeWithRetry(db, log);
  const kafka = createKafkaClient(kafkaConfig, (level, message, extra) =>
    log.log(level, message, { source: 'kafkajs', ...flatten(extra) }),
  );
  const admin = new KafkaAdminService(kafka);
  const registry = new TenantRegistryWriter(kafka);
  const quotas = new ClientQuotasService(kafkaConfig);
  const repo = new ProvisioningRepository(db);
  const metrics = new ProvisionerMetrics();
  const reconciler = new Reconciler(
    repo,
    {
      admin,
      registry,
      quotas,
      aclConfirmTimeoutMs: config.aclConfirmTimeoutMs,
      operatorPrincipals: new Set(config.operatorPrincipals),
      sleep: (ms) => sleep(ms),
    },
    {
      topic: config.topic,
      stepAttempts: config.stepAttempts,
      backoffMs: config.backoffMs,
      afterStep: config.crashAfterStep
        ? (step, customer) => {
            if (step !== config.crashAfterStep) return;
            log.log('warn', 'crash hook: killing the process after this step', { step, customer });
            process.kill(process.pid, 'SIGKILL');
          }
        : undefined,
    },
    log,
  );
  const lock = new LeaderLock(
    dbConfig.url,
    {
      lockKey: config.lockKey,
      pollMs: config.lockPollMs,
      checkIntervalMs: config.lockCheckMs,
      checkTimeoutMs: config.lockCheckTimeoutMs,
      keepAliveMs: config.lockKeepAliveMs,
    },
    log,
  );
  const service = new ProvisionerService(
    admin,
    registry,
    quotas,
    repo,
    reconciler,
    lock,
    metrics,
    log,
    {
      databaseUrl: dbConfig.url,
      concurrency: config.concurrency,
      resyncIntervalMs: config.resyncIntervalMs,
      retryDelayMs: config.retryDelayMs,
      topic: config.topic,
      registryReplicationFactor: config.topic.replicationFactor,
      edgePrincipals: config.edgePrincipals,
      healthPrincipals: config.healthPrincipals,
      operatorPrincipals: config.operatorPrincipals,
      quota: config.quota,
    },
    kafka,
  );
  const probes = await startProbeServer({
    host: config.httpHost,
    port: config.httpPort,
    logger: log,
    health: () => ({ ...service.status() }),
    readiness: () => {
      const status = service.status();
      return { ...status, ready: status.leader };
    },
    metrics: () => metrics.registry.metrics(),
    metricsContentType: metrics.registry.contentType,
  });
  log.info('provisioner started', { http: `${config.httpHost}:${probes.port}` });

  const stopped = untilAborted(signal).then(() => service.stop());
  await service.run();
  if (!signal.aborted) {
    log.error('the reconcile loop ended unasked');
    return 1;
  }
  await stopped;
  await db.destroy();
  await probes.close();
  return 0;
}

function flatten(extra: object): Record<string, string | number | boolean | null> {
  return Object.fromEntries(
    Object.entries(extra).map(([k, v]) => [
      k,
      typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string),
    ]),
  );
}

runMain({ app: 'provisioner', help: HELP }, (ctx) => main(ctx.signal));
