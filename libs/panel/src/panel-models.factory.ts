import type { ArchiveView } from '@logstream/archive';
import type { StatsSeries, StatsTop } from '@logstream/control';
import type { CustomerHealth, HealthSeries } from '@logstream/health';
import { type SeriesPoint, STATUS_CLASSES } from '@logstream/stats';
import type { CredentialEntity, CustomerEntity } from '@logstream/persistence';
import { consumerGroupPrefix, customerTopic, type CustomerId } from '@logstream/tenancy';
import { daysUntil } from './format.rules';
import type {
  ArchiveModel,
  ChartedStatusClass,
  ConnectionModel,
  CredentialRow,
  CredentialsModel,
  HealthModel,
  StreamingModel,
  TrafficModel,
} from './panel.types';

/** Expiry warnings start this many days ahead. */
export const EXPIRY_WARNING_DAYS = 30;

/** The provisioner has not reconciled the latest desired state yet. */
function behind(c: CustomerEntity): boolean {
  return c.observedGeneration < c.generation;
}

export function streamingModel(c: CustomerEntity): StreamingModel {
  return {
    customerId: c.id,
    enabled: c.streamingEnabled,
    state: c.streamingState,
    lastError: c.lastError,
    provisioningMs: c.provisioningMs,
    stateChangedAt: c.stateChangedAt,
    inProgress:
      c.streamingState === 'provisioning' || c.streamingState === 'disabling' || behind(c),
    deleting: c.deletionRequestedAt !== null,
  };
}

export function connectionModel(
  c: CustomerEntity,
  bootstrapServers: readonly string[],
  retentionMs: number,
): ConnectionModel {
  const id = c.id as CustomerId;
  return {
    customerId: id,
    bootstrapServers,
    topic: customerTopic(id),
    groupPrefix: consumerGroupPrefix(id),
    retentionMs,
  };
}

export function credentialRow(k: CredentialEntity, c: CustomerEntity, now: Date): CredentialRow {
  const expired = k.expiresAt.getTime() <= now.getTime();
  const status: CredentialRow['status'] = k.revokedAt
    ? behind(c)
      ? 'revoking'
      : 'revoked'
    : expired
      ? 'expired'
      : 'active';
  const days = daysUntil(k.expiresAt, now);
  return {
    id: k.id,
    principal: k.principal,
    fingerprint: k.fingerprintSha256,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    status,
    expiresInDays: status === 'active' && days <= EXPIRY_WARNING_DAYS ? Math.max(0, days) : null,
  };
}

export function credentialsModel(
  c: CustomerEntity,
  credentials: readonly CredentialEntity[],
  maxActive: number,
  now: Date,
  highlight: string | null,
): CredentialsModel {
  // Newest first: the row just issued is at the top.
  const rows = credentials.map((k) => credentialRow(k, c, now)).reverse();
  return {
    customerId: c.id,
    rows,
    active: rows.filter((r) => r.status === 'active').length,
    maxActive,
    highlight: highlight !== null && rows.some((r) => r.id === highlight) ? highlight : null,
    pending: rows.some((r) => r.status === 'revoking'),
  };
}

/** The archive block reloads itself this often while waiting for a change, else slower. */
export const ARCHIVE_POLL_FAST_S = 2;
export const ARCHIVE_POLL_SLOW_S = 10;

/**
 * What the block shows of the archive: the destination and its status. Never the secret (the
 * view does not hold it) nor the access key id: the block is for watching, setting up is the
 * API's.
 */
export function archiveModel(customerId: string, view: ArchiveView | null): ArchiveModel {
  if (!view) return { customerId, configured: false, pollSeconds: ARCHIVE_POLL_SLOW_S };
  const settling = ['unverified', 'catching_up', 'failing', 'failed'].includes(view.status.state);
  return {
    customerId,
    configured: true,
    endpoint: view.endpoint,
    bucket: view.bucket,
    pathPrefix: view.pathPrefix,
    compression: view.compression,
    verification: view.verification,
    status: view.status,
    pollSeconds: settling ? ARCHIVE_POLL_FAST_S : ARCHIVE_POLL_SLOW_S,
  };
}

/** The health block reloads at about the collector's pace (15 s by default). */
export const HEALTH_POLL_S = 15;

export function healthModel(
  customerId: CustomerId,
  health: CustomerHealth,
  produced: HealthSeries,
  now: Date,
): HealthModel {
  return {
    customerId,
    groupPrefix: consumerGroupPrefix(customerId),
    health,
    produced: produced.points.map((p) => ({ t: Date.parse(p.t), value: p.value })),
    nowMs: now.getTime(),
    pollSeconds: HEALTH_POLL_S,
  };
}

/** Statistics change by the minute: the block reloads once a minute. */
export const TRAFFIC_POLL_S = 60;
export const CHARTED_CLASSES: readonly ChartedStatusClass[] = ['2xx', '3xx', '4xx', '5xx'];
/** Top entries shown per list. */
export const TRAFFIC_TOP = 5;

/**
 * Adds up the minutes of the series. Unique visitors do not add up across minutes: the block
 * shows the busiest minute's, and says so.
 */
export function trafficModel(customerId: string, series: StatsSeries, top: StatsTop): TrafficModel {
  const totals: TrafficModel['totals'] = {
    requests: 0,
    bytes: 0,
    statusClass: Object.fromEntries(
      STATUS_CLASSES.map((c) => [c, 0]),
    ) as TrafficModel['totals']['statusClass'],
    uniqueVisitors: 0,
    late: 0,
    unparsed: 0,
  };
  for (const p of series.points) {
    totals.requests += p.requests;
    totals.bytes += p.bytes;
    totals.late += p.late;
    totals.unparsed += p.unparsed;
    totals.uniqueVisitors = Math.max(totals.uniqueVisitors, p.uniqueVisitors);
    for (const c of STATUS_CLASSES) totals.statusClass[c] += p.statusClass[c];
  }
  const perMinute = (value: (p: SeriesPoint) => number) =>
    series.points.map((p) => ({ t: Date.parse(p.start), value: value(p) }));
  return {
    customerId,
    totals,
    requestsByClass: Object.fromEntries(
      CHARTED_CLASSES.map((c) => [c, perMinute((p) => p.statusClass[c])]),
    ) as TrafficModel['requestsByClass'],
    bytes: perMinute((p) => p.bytes),
    visitors: perMinute((p) => p.uniqueVisitors),
    hosts: top.lists.hosts.slice(0, TRAFFIC_TOP),
    paths: top.lists.paths.slice(0, TRAFFIC_TOP),
    pollSeconds: TRAFFIC_POLL_S,
  };
}
