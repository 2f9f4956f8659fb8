import type { ArchiveState } from '@logstream/persistence';
import type { Compression } from './object-key.rules';

export const FLUSH_LIMITS = {
  intervalSeconds: { min: 30, max: 300, default: 60 },
  maxBytes: { min: 1024, max: 256 * 1024 * 1024, default: 16 * 1024 * 1024 },
  maxLines: { min: 1, max: 10_000_000, default: 1_000_000 },
} as const;

export interface FlushSettings {
  intervalSeconds: number;
  /** Uncompressed bytes of lines in one object. */
  maxBytes: number;
  maxLines: number;
}

/** What PUT /v1/customers/{id}/archive takes (optional fields have defaults). */
export interface ArchiveSettingsInput {
  endpoint: string;
  bucket: string;
  region?: string;
  pathPrefix?: string;
  hivePartitioning?: boolean;
  accessKeyId: string;
  /** Required the first time; left out later, the stored secret stays. */
  secretAccessKey?: string;
  compression?: Compression;
  flush?: Partial<FlushSettings>;
}

/** The state the API reports: the archiver's, or `stopped` while the customer does not stream. */
export type ArchiveReportedState = ArchiveState | 'stopped';

export interface ArchiveVerificationView {
  verified: boolean;
  method: 'challenge' | 'admin' | null;
  verifiedAt: Date | null;
  /** Where the challenge object is (in the customer's bucket), once written. */
  challengeObjectKey: string | null;
  challengeWrittenAt: Date | null;
}

export interface ArchiveStatusView {
  state: ArchiveReportedState;
  /** One sentence for a person: what is happening and what to do. */
  summary: string;
  lastUploadAt: Date | null;
  lastObjectKey: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  uploadsOk: number;
  uploadsFailed: number;
  linesDelivered: number;
  /** Compressed bytes stored. */
  bytesDelivered: number;
  /** Lines that fell out of Kafka's retention before they could be delivered. */
  linesLost: number;
  /** Age of the oldest line not yet stored. */
  behindSeconds: number;
  updatedAt: Date | null;
}

/** GET /v1/customers/{id}/archive. The secret is never part of it. */
export interface ArchiveView {
  customerId: string;
  endpoint: string;
  bucket: string;
  region: string;
  pathPrefix: string;
  hivePartitioning: boolean;
  accessKeyId: string;
  secretAccessKeySet: true;
  compression: Compression;
  flush: FlushSettings;
  verification: ArchiveVerificationView;
  status: ArchiveStatusView;
  createdAt: Date;
  updatedAt: Date;
}
