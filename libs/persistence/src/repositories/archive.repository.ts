import type { EntityManager } from 'typeorm';
import { ArchiveChunkEntity } from '../entities/archive-chunk.entity';
import type { ArchiveState, ArchiveVerification } from '../entities/archive-state.types';
import { CustomerArchiveEntity } from '../entities/customer-archive.entity';
import { returnedRows } from '../query-result';

/** The settings the control API writes (everything but status and verification). */
export type ArchiveSettingsRow = Pick<
  CustomerArchiveEntity,
  | 'endpoint'
  | 'bucket'
  | 'region'
  | 'pathPrefix'
  | 'hivePartitioning'
  | 'accessKeyId'
  | 'secretCiphertext'
  | 'compression'
  | 'flushIntervalS'
  | 'flushBytes'
  | 'flushLines'
>;

/** An archive setting with whether its customer streams now (the archiver's view). */
export interface ArchiveWithCustomer {
  archive: CustomerArchiveEntity;
  /** Streaming enabled, active and not being deleted: the topic exists and is written. */
  streaming: boolean;
}

export interface ChunkBoundary {
  lastOffset: bigint;
  objectKey: string;
  uploaded: boolean;
}

/**
 * `failing_since` for the state in parameter `state`: kept while the failure goes on (a
 * `failing` that turns `failed` is the same outage), cleared by any other state.
 */
function failingSince(state: string): string {
  return `CASE WHEN ${state}::varchar IN ('failing', 'failed') THEN COALESCE(failing_since, now()) ELSE NULL END`;
}

/** Archive settings, status and chunk boundaries (control API and archiver). */
export class ArchiveRepository {
  constructor(private readonly em: EntityManager) {}

  find(customerId: string): Promise<CustomerArchiveEntity | null> {
    return this.em.getRepository(CustomerArchiveEntity).findOneBy({ customerId });
  }

  /**
   * Creates or replaces the settings. `reverify` (a new destination) also drops the proof of
   * ownership and installs a new challenge; the status counters always stay.
   */
  async saveSettings(
    customerId: string,
    settings: ArchiveSettingsRow,
    challenge: { reverify: boolean; ciphertext: string },
  ): Promise<void> {
    const repo = this.em.getRepository(CustomerArchiveEntity);
    const existing = await repo.findOneBy({ customerId });
    if (!existing) {
      await repo.insert({
        customerId,
        ...settings,
        challengeCiphertext: challenge.ciphertext,
        state: 'unverified',
      });
      return;
    }
    await repo.update(
      { customerId },
      {
        ...settings,
        settingsVersion: () => 'settings_version + 1',
        ...(challenge.reverify
          ? {
              challengeCiphertext: challenge.ciphertext,
              challengeKey: null,
              challengeWrittenAt: null,
              verifiedAt: null,
              verifiedBy: null,
              state: 'unverified' as const,
              failingSince: null,
            }
          : {}),
      },
    );
  }

  async delete(customerId: string): Promise<boolean> {
    const result = await this.em.getRepository(CustomerArchiveEntity).delete({ customerId });
    return (result.affected ?? 0) > 0;
  }

  async markVerified(customerId: string, by: ArchiveVerification): Promise<void> {
    await this.em.query(
      `UPDATE customer_archives
         SET verified_at = now(), verified_by = $2, updated_at = now(),
             state = CASE WHEN state = 'unverified' THEN 'active' ELSE state END
       WHERE customer_id = $1 AND verified_at IS NULL`,
      [customerId, by],
    );
  }

  /** Every archive setting (or those of `customerIds`), with its customer's streaming state. */
  async listWithCustomers(customerIds?: readonly string[]): Promise<ArchiveWithCustomer[]> {
    const query = this.em
      .getRepository(CustomerArchiveEntity)
      .createQueryBuilder('a')
      .innerJoin('customers', 'c', 'c.id = a.customer_id')
      .addSelect(
        `(c.streaming_enabled AND c.deletion_requested_at IS NULL AND c.streaming_state = 'active')`,
        'streaming',
      );
    if (customerIds) query.where('a.customer_id = ANY(:ids)', { ids: [...customerIds] });
    const rows = await query.getRawAndEntities<{ streaming: boolean }>();
    return rows.entities.map((archive, i) => ({
      archive,
      streaming: rows.raw[i]?.streaming === true,
    }));
  }

  async recordChallengeWritten(
    customerId: string,
    settingsVersion: number,
    key: string,
  ): Promise<void> {
    await this.em.query(
      `UPDATE customer_archives SET challenge_key = $3, challenge_written_at = now(),
         last_error = NULL, status_updated_at = now()
       WHERE customer_id = $1 AND settings_version = $2 AND verified_at IS NULL`,
      [customerId, settingsVersion, key],
    );
  }

  async recordChallengeError(customerId: string, message: string): Promise<void> {
    await this.em.query(
      `UPDATE customer_archives SET last_error = $2, last_error_at = now(), status_updated_at = now()
       WHERE customer_id = $1 AND verified_at IS NULL`,
      [customerId, message],
    );
  }

  async findChunk(
    customerId: string,
    partition: number,
    firstOffset: bigint,
  ): Promise<ChunkBoundary | undefined> {
    const row = await this.em.getRepository(ArchiveChunkEntity).findOneBy({
      customerId,
      partition,
      firstOffset: firstOffset.toString(),
    });
    return row
      ? {
          lastOffset: BigInt(row.lastOffset),
          objectKey: row.objectKey,
          uploaded: row.uploadedAt !== null,
        }
      : undefined;
  }

  /**
   * Records a chunk's boundary unless one starting at the same offset exists; answers the
   * boundary that holds (the existing one wins).
   */
  async claimChunk(
    customerId: string,
    partition: number,
    chunk: {
      firstOffset: bigint;
      lastOffset: bigint;
      objectKey: string;
      lines: number;
      bytes: number;
    },
  ): Promise<ChunkBoundary> {
    await this.em.query(
      `INSERT INTO archive_chunks (customer_id, partition, first_offset, last_offset, object_key, lines, bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        customerId,
        partition,
        chunk.firstOffset.toString(),
        chunk.lastOffset.toString(),
        chunk.objectKey,
        chunk.lines,
        chunk.bytes,
      ],
    );
    const held = await this.findChunk(customerId, partition, chunk.firstOffset);
    if (!held)
      throw new Error(`archive chunk ${customerId}/${partition}@${chunk.firstOffset} vanished`);
    return held;
  }

  /** One past the last offset delivered for the partition, if anything was. */
  async deliveredEnd(customerId: string, partition: number): Promise<bigint | undefined> {
    const rows = returnedRows<{ end: string | null }>(
      await this.em.query(
        `SELECT max(last_offset) + 1 AS "end" FROM archive_chunks
         WHERE customer_id = $1 AND partition = $2 AND uploaded_at IS NOT NULL`,
        [customerId, partition],
      ),
    );
    const end = rows[0]?.end;
    return end === null || end === undefined ? undefined : BigInt(end);
  }

  /**
   * A chunk's object was stored. Lines and bytes count once per chunk, however often it was
   * re-uploaded (after a crash between upload and offset commit).
   */
  async recordUpload(
    customerId: string,
    partition: number,
    firstOffset: bigint,
    objectBytes: number,
  ): Promise<void> {
    await this.em.transaction(async (tx) => {
      const first = returnedRows<{ lines: number }>(
        await tx.query(
          `UPDATE archive_chunks SET uploaded_at = now(), bytes = $4
           WHERE customer_id = $1 AND partition = $2 AND first_offset = $3 AND uploaded_at IS NULL
           RETURNING lines`,
          [customerId, partition, firstOffset.toString(), objectBytes],
        ),
      );
      const lines = first[0]?.lines ?? 0;
      await tx.query(
        `UPDATE customer_archives SET uploads_ok = uploads_ok + 1, last_upload_at = now(),
           last_object_key = (SELECT object_key FROM archive_chunks
             WHERE customer_id = $1 AND partition = $2 AND first_offset = $3),
           lines_delivered = lines_delivered + $4, bytes_delivered = bytes_delivered + $5
         WHERE customer_id = $1`,
        [customerId, partition, firstOffset.toString(), lines, first.length > 0 ? objectBytes : 0],
      );
    });
  }

  async recordUploadFailure(
    customerId: string,
    message: string,
    state: ArchiveState,
  ): Promise<void> {
    await this.em.query(
      `UPDATE customer_archives SET uploads_failed = uploads_failed + 1, last_error = $2,
         last_error_at = now(), state = $3, status_updated_at = now(),
         failing_since = ${failingSince('$3')}
       WHERE customer_id = $1 AND verified_at IS NOT NULL`,
      [customerId, message, state],
    );
  }

  async recordState(customerId: string, state: ArchiveState, behindMs: number): Promise<void> {
    await this.em.query(
      `UPDATE customer_archives SET state = $2, behind_ms = $3, status_updated_at = now(),
         failing_since = ${failingSince('$2')}
       WHERE customer_id = $1 AND verified_at IS NOT NULL`,
      [customerId, state, Math.max(0, Math.round(behindMs))],
    );
  }

  async addLinesLost(customerId: string, lines: bigint): Promise<void> {
    await this.em.query(
      `UPDATE customer_archives SET lines_lost = lines_lost + $2 WHERE customer_id = $1`,
      [customerId, lines.toString()],
    );
  }

  /** Forgets uploaded boundaries older than `before`, keeping each partition's newest. */
  async pruneChunks(before: Date): Promise<number> {
    const result: unknown = await this.em.query(
      `DELETE FROM archive_chunks c WHERE c.uploaded_at IS NOT NULL AND c.created_at < $1
         AND c.first_offset < (SELECT max(n.first_offset) FROM archive_chunks n
           WHERE n.customer_id = c.customer_id AND n.partition = c.partition)`,
      [before],
    );
    return returnedRows(result).length;
  }
}
