import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  type EnvRead,
  loadArchiverConfig,
  loadControlApiConfig,
  loadDatabaseConfig,
  loadEdgeAdminConfig,
  loadHealthCollectorConfig,
  loadKafkaConfig,
  loadProvisionerConfig,
  recordEnvReads,
  REPO_ROOT,
} from '@logstream/config';
import { EDGE_OPTIONS, loadEdgeConfig } from '@logstream/edge';
import { loadAggregatorConfig } from '@logstream/stats';

/** Where `npm run docs:config` writes the reference, from the repository root. */
export const CONFIG_REFERENCE_PATH = 'docs/configuration.md';

/**
 * What each variable means, in a few words. The edge producer's come from its option table
 * (the text of its --help); a variable a loader reads without an entry here fails the spec.
 */
const MEANING: Readonly<Record<string, string>> = {
  LOGSTREAM_DATA_DIR: 'where scripts and apps keep generated state (git-ignored)',
  LOGSTREAM_PKI_DIR: 'the development PKI: CA and platform certificates',
  LOGSTREAM_KAFKA_PORT_BASE: "the local broker's first port (PLAINTEXT; SSL is base + 2)",
  LOGSTREAM_KAFKA_BROKERS: "brokers for the platform's own components",
  LOGSTREAM_KAFKA_SSL_BOOTSTRAP: 'the SSL listener as customers and edge nodes reach it',
  LOGSTREAM_KAFKA_CA_FILE: 'with the two below: platform components connect over SSL',
  LOGSTREAM_KAFKA_CERT_FILE: "the component's client certificate (PEM)",
  LOGSTREAM_KAFKA_KEY_FILE: "the component's private key (PEM)",
  LOGSTREAM_DATABASE_URL: 'PostgreSQL holding the desired state',
  LOGSTREAM_ALERT_SECRET_KEY:
    'encrypts alert webhook signing secrets at rest (required in production)',
  LOGSTREAM_API_PRINCIPAL_RATE_LIMIT: 'requests per customer (or admin token) per window',
  LOGSTREAM_ARCHIVE_ALLOW_HTTP_ENDPOINTS:
    'allow plain-HTTP archive endpoints (refused in production)',
  LOGSTREAM_ARCHIVE_SECRET_KEY:
    'encrypts archive destination secrets at rest (required in production)',
  LOGSTREAM_CREDENTIAL_ISSUE_CONCURRENCY: 'credentials being issued at once, all customers',
  LOGSTREAM_CREDENTIAL_ISSUE_RATE: 'credentials per customer per minute',
  LOGSTREAM_CREDENTIAL_RETENTION_DAYS:
    'revoked or expired credentials are deleted after this many days',
  LOGSTREAM_CREDENTIAL_WORKERS: 'worker threads making keys and bundles',
  LOGSTREAM_PROVISIONER_LOCK_CHECK_MS: 'how often the leader checks it still holds the lock',
  LOGSTREAM_PROVISIONER_LOCK_CHECK_TIMEOUT_MS: 'a lock check slower than this fences the leader',
  LOGSTREAM_PROVISIONER_LOCK_KEEPALIVE_MS: 'TCP keepalive of the lock connection',
  LOGSTREAM_PROVISIONER_OPERATOR_PRINCIPALS: 'principals whose ACLs drift repair never removes',
  LOGSTREAM_QUOTA_CONSUMER_BYTE_RATE:
    "a customer's consumer byte rate (bytes/s, all its credentials together) unless it has its own",
  LOGSTREAM_QUOTA_REQUEST_PERCENTAGE:
    "a customer's request time quota (percent of one broker thread) unless it has its own",
  LOGSTREAM_WEBHOOK_ALLOW_LOOPBACK: 'alert webhooks may reach loopback (development only)',
  LOGSTREAM_WEBHOOK_ALLOW_PRIVATE: 'alert webhooks may reach private addresses (development only)',
  LOGSTREAM_ARCHIVER_GROUP_ID: 'consumer group every archiver instance shares (logstream-…)',
  LOGSTREAM_ARCHIVER_GZIP_LEVEL: 'gzip level of archive objects',
  LOGSTREAM_ARCHIVER_HTTP_HOST: "address of the archiver's /healthz, /readyz and /metrics",
  LOGSTREAM_ARCHIVER_HTTP_PORT: "port of the archiver's probes",
  LOGSTREAM_ARCHIVER_REFRESH_MS: 'how often archive settings are read from the database',
  LOGSTREAM_ARCHIVER_RETRY_MAX_MS: 'longest wait between failed uploads',
  LOGSTREAM_ARCHIVER_RETRY_MIN_MS: 'first wait after a failed upload (doubles up to the maximum)',
  LOGSTREAM_ARCHIVER_SESSION_TIMEOUT_MS:
    'consumer session timeout: how soon another instance takes over',
  LOGSTREAM_ARCHIVER_STATUS_INTERVAL_MS: 'how often delivery status is written for the API',
  LOGSTREAM_ARCHIVER_UPLOAD_TIMEOUT_MS: 'one upload slower than this fails and is retried',
  LOGSTREAM_ARCHIVER_ZSTD_LEVEL: 'zstd level of archive objects',
  LOGSTREAM_HEALTH_HTTP_HOST: "address of the health collector's probes and metrics",
  LOGSTREAM_HEALTH_HTTP_PORT: "port of the health collector's probes and metrics",
  LOGSTREAM_HEALTH_MAX_GROUPS_PER_CUSTOMER: 'consumer groups followed per customer',
  LOGSTREAM_HEALTH_OFFSET_FETCH_CONCURRENCY: 'offset requests to the broker at once',
  LOGSTREAM_HEALTH_POLL_MS: 'how often offsets and lag are measured',
  LOGSTREAM_HEALTH_RETENTION_RISK_PERCENT: 'lag past this share of retention puts lines at risk',
  LOGSTREAM_HEALTH_ROLLUP_DAYS: 'days of health history kept',
  LOGSTREAM_STATS_CUSTOMER_PREFIX: 'only customers whose id starts with this (empty: all)',
  LOGSTREAM_STATS_FLUSH_MS: 'how often finished windows are written',
  LOGSTREAM_STATS_GROUP: 'consumer group every aggregator instance shares',
  LOGSTREAM_STATS_HLL_PRECISION: 'HyperLogLog precision of unique-visitor counts (2^p registers)',
  LOGSTREAM_STATS_HTTP_HOST: "address of the aggregator's probes and metrics",
  LOGSTREAM_STATS_HTTP_PORT: "port of the aggregator's probes and metrics",
  LOGSTREAM_STATS_LATENESS_MS: 'a window closes this long after its end',
  LOGSTREAM_STATS_LOG_FORMAT: 'the access-log format the aggregator parses',
  LOGSTREAM_STATS_ROLLUPS: 'also write hourly and daily rollups to the database',
  LOGSTREAM_STATS_TOP_COUNTERS: 'counters kept per top list (more: exact further down)',
  LOGSTREAM_STATS_TOP_N: 'entries reported per top list',
  LOGSTREAM_STATS_TOPIC_REFRESH_MS: 'how often new customer topics are picked up',
  LOGSTREAM_WEBHOOK_ATTEMPTS: 'deliveries of one alert before it is given up',
  LOGSTREAM_WEBHOOK_BACKOFF_MS: 'first wait between webhook attempts (doubles)',
  LOGSTREAM_WEBHOOK_TIMEOUT_MS: 'one webhook request slower than this fails',
  LOGSTREAM_DATABASE_POOL_SIZE: 'connections per process',
  LOGSTREAM_DATABASE_CONNECT_TIMEOUT_MS: 'how long a connection attempt may take',
  LOGSTREAM_DATABASE_STATEMENT_TIMEOUT_MS: 'how long one statement may run',
  LOGSTREAM_ENV:
    'production (the default) requires real tokens and secret keys and refuses development shortcuts',
  LOGSTREAM_CA_CERT_FILE: 'the CA that signs customer credentials (PEM)',
  LOGSTREAM_CA_KEY_FILE: "that CA's private key",
  LOGSTREAM_BROKER_CA_FILE: "the brokers' CA, shipped in every bundle as ca.pem",
  LOGSTREAM_PLATFORM_CA_CERT_FILE:
    'the platform root CA that signs edge node certificates (operators only; never the API)',
  LOGSTREAM_PLATFORM_CA_KEY_FILE: "that CA's private key",
  LOGSTREAM_ENROLL_VALIDITY_DAYS: "lifetime of an enrolled edge node's certificate",
  LOGSTREAM_API_HOST: 'address the control API listens on',
  LOGSTREAM_API_PORT: 'port the control API listens on (0: any free port)',
  LOGSTREAM_API_BODY_LIMIT_BYTES: 'largest request body',
  LOGSTREAM_API_TRUST_PROXY: 'take the client address from X-Forwarded-For',
  LOGSTREAM_API_RATE_LIMIT: 'requests per client per window',
  LOGSTREAM_API_RATE_WINDOW_MS: 'the rate limit window',
  LOGSTREAM_ADMIN_TOKENS: 'comma-separated admin bearer tokens',
  LOGSTREAM_CREDENTIAL_VALIDITY_DAYS: 'lifetime of a customer certificate',
  LOGSTREAM_MAX_ACTIVE_CREDENTIALS: 'unrevoked, unexpired credentials per customer',
  LOGSTREAM_LOG_LEVEL: 'lowest level logged',
  LOGSTREAM_TOPIC_REPLICATION_FACTOR: 'replicas of each customer topic',
  LOGSTREAM_TOPIC_PARTITIONS: 'partitions of each customer topic',
  LOGSTREAM_TOPIC_RETENTION_MS: 'how long a customer topic keeps lines',
  LOGSTREAM_TOPIC_MIN_INSYNC_REPLICAS: 'min.insync.replicas of each customer topic',
  LOGSTREAM_PROVISIONER_CRASH_AFTER_STEP: 'tests only: SIGKILL itself right after this step',
  LOGSTREAM_PROVISIONER_HTTP_HOST: 'address of /healthz, /readyz, /metrics',
  LOGSTREAM_PROVISIONER_HTTP_PORT: 'port of /healthz, /readyz, /metrics',
  LOGSTREAM_PROVISIONER_CONCURRENCY: 'customers reconciled at once',
  LOGSTREAM_PROVISIONER_RESYNC_MS: 'how often every customer is reconciled anyway',
  LOGSTREAM_PROVISIONER_RETRY_DELAY_MS: 'wait before a failed customer is tried again',
  LOGSTREAM_PROVISIONER_STEP_ATTEMPTS: 'attempts of one step before the customer fails',
  LOGSTREAM_PROVISIONER_BACKOFF_MS: 'first backoff between attempts (doubles)',
  LOGSTREAM_PROVISIONER_ACL_CONFIRM_TIMEOUT_MS: 'how long ACLs may take to show on the broker',
  LOGSTREAM_EDGE_PRINCIPALS: 'comma-separated edge principals granted WRITE on cdn-logs.*',
  LOGSTREAM_HEALTH_BROKER_METRICS_URLS:
    "comma-separated brokers' JMX exporter /metrics URLs (per-topic bytes); off = none",
  LOGSTREAM_HEALTH_PRINCIPALS: 'health collector principals granted READ on logstream.edge-stats',
  LOGSTREAM_PROVISIONER_LOCK_KEY: 'PostgreSQL advisory lock key: one leader per key',
  LOGSTREAM_PROVISIONER_LOCK_POLL_MS: 'how often a standby tries to take the lock',
  LOGSTREAM_PANEL_SESSION_IDLE_S: 'a panel session ends after this long without a request',
  LOGSTREAM_PANEL_SESSION_MAX_S: 'a panel session ends this long after sign-in, whatever happens',
  LOGSTREAM_PANEL_TAIL_MAX_S: 'how long one live tail in the panel runs',
  LOGSTREAM_PANEL_TAIL_MAX_LINES_PER_S: 'lines per second a live tail sends at most',
  LOGSTREAM_EDGE_RDKAFKA:
    'extra librdkafka properties, `name=value` separated by commas (as `-X`); delivery ones are refused',
};

interface Row extends EnvRead {
  usedBy: string[];
  meaning?: string;
}

/** Every loader, each run on an empty environment, its reads recorded. */
function readsByApp(): Array<[string, EnvRead[]]> {
  const quietly = (load: () => unknown) => () => {
    try {
      load();
    } catch {
      // An empty environment may not be a valid one; the reads before the error count.
    }
  };
  return [
    ['control-api', recordEnvReads(quietly(() => loadControlApiConfig({})))],
    [
      'provisioner',
      recordEnvReads(
        quietly(() => {
          loadProvisionerConfig({});
          loadKafkaConfig('logstream-provisioner', {});
          loadDatabaseConfig({});
        }),
      ),
    ],
    [
      'edge-producer',
      recordEnvReads(
        quietly(() => {
          loadEdgeConfig([], {}, 'HOSTNAME');
          // The file source's own settings are read only with a file source.
          const log = path.join(tmpdir(), 'logstream-config-docs.log');
          loadEdgeConfig([], { LOGSTREAM_EDGE_SOURCE: `file:${log}` }, 'HOSTNAME');
        }),
      ),
    ],
    // The operator's CLI loads the database and Kafka sections inside its own loader.
    ['edge-admin', recordEnvReads(quietly(() => loadEdgeAdminConfig({})))],
    // The archiver loads the database and Kafka sections inside its own loader.
    ['archiver', recordEnvReads(quietly(() => loadArchiverConfig({})))],
    [
      'health-collector',
      recordEnvReads(
        quietly(() => {
          loadHealthCollectorConfig({});
          loadKafkaConfig('logstream-health-collector', {});
          loadDatabaseConfig({});
        }),
      ),
    ],
    [
      'aggregator',
      recordEnvReads(
        quietly(() => {
          loadAggregatorConfig({});
          loadKafkaConfig('logstream-aggregator', {});
          loadDatabaseConfig({});
        }),
      ),
    ],
  ];
}

/** The rows of the reference: one per variable, with the apps that read it. */
export function configurationRows(): Row[] {
  const rows = new Map<string, Row>();
  const edge = new Map(Object.values(EDGE_OPTIONS).map((o) => [o.env, o]));
  for (const [app, reads] of readsByApp()) {
    for (const read of reads) {
      const row = rows.get(read.name);
      if (row) {
        row.usedBy.push(app);
        continue;
      }
      const option = edge.get(read.name);
      rows.set(read.name, {
        ...read,
        fallback: option ? String(option.default) || undefined : read.fallback,
        constraint: option ? `${read.constraint} (flag \`${option.flag}\`)` : read.constraint,
        meaning: option?.help ?? MEANING[read.name],
        usedBy: [app],
      });
    }
  }
  // Read straight from the environment by the edge loader (not through EnvReader).
  rows.set('LOGSTREAM_EDGE_RDKAFKA', {
    name: 'LOGSTREAM_EDGE_RDKAFKA',
    constraint: 'text (flag `-X name=value`)',
    meaning: MEANING.LOGSTREAM_EDGE_RDKAFKA,
    usedBy: ['edge-producer'],
  });
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A default as it reads anywhere: this checkout's path and this machine's name left out. */
function portable(value: string): string {
  return value.split(REPO_ROOT).join('<repo>').split(hostname()).join('HOSTNAME');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/configuration.md, whole. */
export function configurationReference(): string {
  const rows = configurationRows();
  return [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:config` from the loaders (libs/config, libs/edge): do not',
    '     edit. A unit spec fails when this file and the loaders disagree. -->',
    '',
    'Every environment variable a Logstream process reads, checked once at start (all problems',
    'reported together, exit 2). Unset or empty means the default. The edge producer also takes',
    'each of its variables as a flag, which wins.',
    '',
    '| Variable | Read by | Default | Allowed | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.name}\` | ${r.usedBy.join(', ')} | ${
          r.fallback === undefined || r.fallback === ''
            ? 'unset'
            : `\`${cell(portable(r.fallback))}\``
        } | ${cell(r.constraint)} | ${cell(r.meaning ?? '')} |`,
    ),
    '',
  ].join('\n');
}
