import type { ArchiveStatusView, ArchiveVerificationView } from '@logstream/archive';
import type { CustomerHealth } from '@logstream/health';
import type { StreamingState } from '@logstream/persistence';
import type { SeriesPoint, TopEntry } from '@logstream/stats';
import type { ChartPoint } from './views/chart.view';

/** Who looks at a page: what the layout needs to know of the session (never its token). */
export interface Viewer {
  kind: 'customer' | 'admin';
  /** Sent back by every form and by htmx (X-CSRF-Token). */
  csrfToken: string;
}

export interface StreamingModel {
  customerId: string;
  enabled: boolean;
  state: StreamingState;
  lastError: string | null;
  /** How long the last switch-on took, request to access confirmed. */
  provisioningMs: number | null;
  /** When the state last changed. */
  stateChangedAt: Date;
  /** The provisioner has not caught up with the desired state yet. */
  inProgress: boolean;
  deleting: boolean;
}

export interface ConnectionModel {
  customerId: string;
  bootstrapServers: readonly string[];
  topic: string;
  groupPrefix: string;
  retentionMs: number;
}

export type CredentialStatus = 'active' | 'revoking' | 'revoked' | 'expired';

export interface CredentialRow {
  id: string;
  principal: string;
  fingerprint: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  status: CredentialStatus;
  /** Days until it expires when that is 30 or fewer (and it is active). */
  expiresInDays: number | null;
}

export interface CredentialsModel {
  customerId: string;
  rows: CredentialRow[];
  active: number;
  maxActive: number;
  /** The row just issued, highlighted. */
  highlight: string | null;
  /** Some revocation is still being applied: the block refreshes itself. */
  pending: boolean;
}

/** The archive block: what GET /v1/customers/{id}/archive says, minus the credentials. */
export type ArchiveModel =
  | { customerId: string; configured: false; pollSeconds: number }
  | {
      customerId: string;
      configured: true;
      endpoint: string;
      bucket: string;
      pathPrefix: string;
      compression: string;
      verification: ArchiveVerificationView;
      status: ArchiveStatusView;
      /** How often the block reloads itself: faster while something is about to change. */
      pollSeconds: number;
    };

/** The delivery-health block: the collector's latest snapshot and 24 h of produced lines/s. */
export interface HealthModel {
  customerId: string;
  groupPrefix: string;
  health: CustomerHealth;
  produced: ChartPoint[];
  nowMs: number;
  pollSeconds: number;
}

export type ChartedStatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** The traffic block: the last hour's totals, requests per minute and the top lists. */
export interface TrafficModel {
  customerId: string;
  totals: Omit<SeriesPoint, 'start'>;
  /** Per minute: requests by status class, bytes, unique visitors. */
  requestsByClass: Record<ChartedStatusClass, ChartPoint[]>;
  bytes: ChartPoint[];
  visitors: ChartPoint[];
  hosts: TopEntry[];
  paths: TopEntry[];
  pollSeconds: number;
}

export interface CustomerPageModel {
  customer: { id: string; name: string };
  streaming: StreamingModel;
  connection: ConnectionModel;
  credentials: CredentialsModel;
  archive: ArchiveModel;
  health: HealthModel;
  traffic: TrafficModel;
  tail: { maxDurationMs: number; maxLinesPerSecond: number };
}

export interface CustomerListModel {
  customers: Array<{ id: string; name: string; state: StreamingState }>;
  next: string | null;
}
