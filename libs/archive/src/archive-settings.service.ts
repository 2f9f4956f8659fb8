import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  assertAdmin,
  assertCanSeeCustomer,
  ControlError,
  customerBeingDeleted,
  customerNotFound,
  type Principal,
  visibleCustomer,
} from '@logstream/control';
import { ArchiveRepository, CustomerRepository } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { archiveView } from './archive-status.rules';
import { needsReverification, settingsProblems, settingsRow } from './archive-settings.rules';
import type { ArchiveSettingsInput, ArchiveView } from './archive.types';
import { openSecret, sealSecret, secretContext } from './secret-box.rules';

export interface ArchiveSettingsOptions {
  secretKey: Buffer;
  allowHttpEndpoints: boolean;
}
export const ARCHIVE_SETTINGS_OPTIONS = Symbol('ARCHIVE_SETTINGS_OPTIONS');

function archiveNotFound(id: string): ControlError {
  return new ControlError('not_found', `customer "${id}" has no archive configured`);
}

/**
 * Archive settings as the control API serves them. It only writes the database: the archiver
 * writes the challenge object, uploads, and reports status into the same row.
 */
@Injectable()
export class ArchiveSettingsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ARCHIVE_SETTINGS_OPTIONS) private readonly options: ArchiveSettingsOptions,
  ) {}

  async get(principal: Principal, id: CustomerId): Promise<ArchiveView> {
    const view = await this.find(principal, id);
    if (!view) throw archiveNotFound(id);
    return view;
  }

  /** As get, with null for a visible customer without an archive (the panel says so). */
  async find(principal: Principal, id: CustomerId): Promise<ArchiveView | null> {
    const customer = await visibleCustomer(this.db.manager, principal, id);
    const row = await new ArchiveRepository(this.db.manager).find(id);
    return row ? archiveView(row, this.streaming(customer)) : null;
  }

  /** Creates or replaces the settings; a new destination must be proved again. */
  async put(
    principal: Principal,
    id: CustomerId,
    input: ArchiveSettingsInput,
  ): Promise<ArchiveView> {
    assertCanSeeCustomer(principal, id);
    await this.db.transaction(async (tx) => {
      const customer = await new CustomerRepository(tx).lockById(id);
      if (!customer) throw customerNotFound(id);
      if (customer.deletionRequestedAt) throw customerBeingDeleted(id);
      const archives = new ArchiveRepository(tx);
      const existing = await archives.find(id);
      const problems = settingsProblems(input, this.options, existing !== null);
      if (problems.length > 0) throw new ControlError('invalid', problems.join('; '));
      const secret =
        input.secretAccessKey !== undefined
          ? sealSecret(this.options.secretKey, secretContext(id, 'secret'), input.secretAccessKey)
          : (existing?.secretCiphertext ?? '');
      const row = settingsRow(input, secret);
      const reverify = existing === null || needsReverification(existing, row);
      const challenge = sealSecret(
        this.options.secretKey,
        secretContext(id, 'challenge'),
        `lsv_${randomBytes(24).toString('base64url')}`,
      );
      await archives.saveSettings(id, row, { reverify, ciphertext: challenge });
    });
    return this.get(principal, id);
  }

  /** Stops the archive; what was delivered stays in the bucket. */
  async delete(principal: Principal, id: CustomerId): Promise<void> {
    assertCanSeeCustomer(principal, id);
    const customer = await new CustomerRepository(this.db.manager).findById(id);
    if (!customer) throw customerNotFound(id);
    if (!(await new ArchiveRepository(this.db.manager).delete(id))) throw archiveNotFound(id);
  }

  /** The customer proves the bucket is theirs with the token Logstream wrote into it. */
  async verify(principal: Principal, id: CustomerId, token: string): Promise<ArchiveView> {
    assertCanSeeCustomer(principal, id);
    const archives = new ArchiveRepository(this.db.manager);
    const row = await archives.find(id);
    if (!row) {
      if (!(await new CustomerRepository(this.db.manager).findById(id))) throw customerNotFound(id);
      throw archiveNotFound(id);
    }
    if (row.verifiedAt === null) {
      if (row.challengeKey === null) {
        throw new ControlError(
          'conflict',
          'the challenge object is not written yet: wait until GET shows verification.challengeObjectKey',
        );
      }
      const expected = Buffer.from(
        openSecret(this.options.secretKey, secretContext(id, 'challenge'), row.challengeCiphertext),
      );
      const given = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ControlError(
          'invalid',
          `the token does not match the one in s3://${row.bucket}/${row.challengeKey}`,
        );
      }
      await archives.markVerified(id, 'challenge');
    }
    return this.get(principal, id);
  }

  /** An admin vouches for the destination instead of the challenge. */
  async trust(principal: Principal, id: CustomerId): Promise<ArchiveView> {
    assertAdmin(principal);
    const archives = new ArchiveRepository(this.db.manager);
    if (!(await archives.find(id))) {
      if (!(await new CustomerRepository(this.db.manager).findById(id))) throw customerNotFound(id);
      throw archiveNotFound(id);
    }
    await archives.markVerified(id, 'admin');
    return this.get(principal, id);
  }

  private streaming(customer: {
    streamingEnabled: boolean;
    deletionRequestedAt: Date | null;
    streamingState: string;
  }): boolean {
    return (
      customer.streamingEnabled &&
      customer.deletionRequestedAt === null &&
      customer.streamingState === 'active'
    );
  }
}
