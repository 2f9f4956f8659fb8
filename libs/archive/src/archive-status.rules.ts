import type { ArchiveState, CustomerArchiveEntity } from '@logstream/persistence';
import type { ArchiveReportedState, ArchiveStatusView, ArchiveView } from './archive.types';

export function behindWords(behindMs: number): string {
  const minutes = Math.floor(behindMs / 60_000);
  if (minutes >= 1) return `${minutes} minute${minutes === 1 ? '' : 's'} behind`;
  return `${Math.max(0, Math.round(behindMs / 1000))} seconds behind`;
}

/**
 * The archiver's verdict for a customer, from what it knows now. `recovering` is set by a
 * failed upload and cleared once the backlog it left is delivered.
 */
export function archiveState(input: {
  lastFailure: { permanent: boolean } | undefined;
  recovering: boolean;
}): ArchiveState {
  if (input.lastFailure) return input.lastFailure.permanent ? 'failed' : 'failing';
  return input.recovering ? 'catching_up' : 'active';
}

function summary(row: CustomerArchiveEntity, state: ArchiveReportedState): string {
  switch (state) {
    case 'stopped':
      return 'stopped: streaming is not active for this customer; delivery resumes where it stopped once it is';
    case 'unverified':
      if (row.challengeKey) {
        return `waiting for proof of ownership: read the token in s3://${row.bucket}/${row.challengeKey} and send it to POST /v1/customers/${row.customerId}/archive/verify`;
      }
      if (row.lastError) return `cannot write the challenge object: ${row.lastError}`;
      return 'waiting for Logstream to write the challenge object into the bucket';
    case 'active':
      return row.lastUploadAt
        ? `delivering; last object stored at ${row.lastUploadAt.toISOString()}`
        : 'delivering; no object stored yet (the first one comes after the flush interval or limits)';
    case 'catching_up':
      return `catching up, ${behindWords(row.behindMs)}`;
    case 'failing':
      return `failing: ${row.lastError ?? 'the last upload failed'}; retrying with backoff, lines wait in Kafka within its retention`;
    case 'failed':
      return `failed: ${row.lastError ?? 'the destination refuses uploads'}; fix the settings (PUT) and delivery resumes where it stopped`;
  }
}

export function archiveStatusView(
  row: CustomerArchiveEntity,
  streaming: boolean,
): ArchiveStatusView {
  const state: ArchiveReportedState =
    !streaming && row.state !== 'unverified' ? 'stopped' : row.state;
  return {
    state,
    summary: summary(row, state),
    lastUploadAt: row.lastUploadAt,
    lastObjectKey: row.lastObjectKey,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt,
    uploadsOk: row.uploadsOk,
    uploadsFailed: row.uploadsFailed,
    linesDelivered: row.linesDelivered,
    bytesDelivered: row.bytesDelivered,
    linesLost: row.linesLost,
    behindSeconds: Math.round(row.behindMs / 1000),
    updatedAt: row.statusUpdatedAt,
  };
}

export function archiveView(row: CustomerArchiveEntity, streaming: boolean): ArchiveView {
  return {
    customerId: row.customerId,
    endpoint: row.endpoint,
    bucket: row.bucket,
    region: row.region,
    pathPrefix: row.pathPrefix,
    hivePartitioning: row.hivePartitioning,
    accessKeyId: row.accessKeyId,
    secretAccessKeySet: true,
    compression: row.compression,
    flush: {
      intervalSeconds: row.flushIntervalS,
      maxBytes: row.flushBytes,
      maxLines: row.flushLines,
    },
    verification: {
      verified: row.verifiedAt !== null,
      method: row.verifiedBy,
      verifiedAt: row.verifiedAt,
      challengeObjectKey: row.challengeKey,
      challengeWrittenAt: row.challengeWrittenAt,
    },
    status: archiveStatusView(row, streaming),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
