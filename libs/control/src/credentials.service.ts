import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { bundleZipStream } from '@logstream/bundle';
import {
  bumpGeneration,
  CredentialRepository,
  CredentialReservationRepository,
  CustomerRepository,
} from '@logstream/persistence';
import { credentialPrincipal, type CustomerId } from '@logstream/tenancy';
import { assertCanSeeCustomer } from './access.rules';
import {
  ControlError,
  customerBeingDeleted,
  customerNotFound,
  tooManyRequests,
} from './control.errors';
import {
  CONTROL_OPTIONS,
  type ControlOptions,
  type CredentialPage,
  type CredentialView,
  type Principal,
} from './control.types';
import { CredentialWorkers } from './credential-workers.service';
import { credentialView } from './customer-views.factory';
import { RateLimiter } from './rate-limiter.service';
import { randomCredentialId } from './secrets.rules';
import { visibleCustomer } from './visible-customer.reader';

export interface IssuedCredential {
  credential: CredentialView;
  /** The zip bundle, holding the only copy of the private key. */
  bundle: Readable;
  fileName: string;
}

/** How long a reserved slot holds if its issuer never finishes (the API died half-way). */
const RESERVATION_HOLD_MS = 120_000;
export const MAX_CREDENTIAL_PAGE_SIZE = 200;

@Injectable()
export class CredentialsService implements OnModuleDestroy {
  private readonly workers: CredentialWorkers;
  private readonly issueRate: RateLimiter;
  private inFlight = 0;
  /** The tail of each customer's queue of issuing transactions in this process. */
  private readonly customerQueues = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {
    const c = options.credentials;
    this.workers = new CredentialWorkers(
      { ca: c.ca, brokerCaPem: c.brokerCaPem, bootstrapServers: [...options.customerBootstrap] },
      c.workers,
    );
    this.issueRate = new RateLimiter({ capacity: c.issueRatePerMinute, refillMs: 60_000 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.workers.close();
  }

  /** Credentials being made right now, over all customers. */
  get issuing(): number {
    return this.inFlight;
  }

  /**
   * Issues a client certificate for a new principal of its own and records it (serial and
   * fingerprint, never the key). The provisioner grants the principal access. The slot is
   * reserved under the customer's row lock before any key is made, and the key is made on a
   * worker thread; over the per-customer rate or the global cap the answer is 429.
   */
  async issue(principal: Principal, id: CustomerId): Promise<IssuedCredential> {
    assertCanSeeCustomer(principal, id);
    const { issueConcurrency, validityDays } = this.options.credentials;
    if (this.inFlight >= issueConcurrency) {
      throw tooManyRequests(
        `${issueConcurrency} credentials are being issued right now, the most at once`,
        1000,
      );
    }
    const wait = this.issueRate.take(id);
    if (wait !== undefined) {
      throw tooManyRequests(
        `customer "${id}" may get at most ${this.options.credentials.issueRatePerMinute} credentials a minute`,
        wait,
      );
    }
    this.inFlight++;
    const credentialId = randomCredentialId();
    let reserved = false;
    try {
      await this.db.transaction(async (tx) => {
        await this.assertCanIssue(tx, id);
        await new CredentialReservationRepository(tx).reserve(
          id,
          credentialId,
          RESERVATION_HOLD_MS,
        );
      });
      reserved = true;
      const made = await this.workers.make({
        customerId: id,
        credentialId,
        validityDays,
      });
      const { certificate } = made;
      const row = await this.oneAtATime(id, () =>
        this.db.transaction(async (tx) => {
          const customer = await new CustomerRepository(tx).lockById(id);
          if (!customer) throw customerNotFound(id);
          if (customer.deletionRequestedAt) throw customerBeingDeleted(id);
          await new CredentialReservationRepository(tx).release(credentialId);
          const inserted = await new CredentialRepository(tx).insert({
            id: credentialId,
            customerId: id,
            principal: credentialPrincipal(id, credentialId),
            serial: certificate.serial,
            fingerprintSha256: certificate.fingerprintSha256,
            // As the certificate encodes it: whole seconds.
            expiresAt: new Date(Math.floor(certificate.notAfter.getTime() / 1000) * 1000),
          });
          await bumpGeneration(tx, id);
          return inserted;
        }),
      );
      reserved = false;
      return {
        credential: credentialView(row),
        bundle: bundleZipStream({ customerId: id }, made.files, certificate.notBefore),
        fileName: `${id}-logstream-${credentialId}.zip`,
      };
    } finally {
      this.inFlight--;
      if (reserved) {
        // Frees the slot now rather than when the reservation lapses; failing that, it lapses.
        await new CredentialReservationRepository(this.db.manager)
          .release(credentialId)
          .catch(() => undefined);
      }
    }
  }

  /**
   * Runs one customer's issuing transactions one after another in this process: they all take
   * that customer's row lock, and each waiting one would hold a pooled connection meanwhile, so
   * a burst for one customer could otherwise take the whole pool from everyone else.
   */
  private oneAtATime<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.customerQueues.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.customerQueues.set(id, tail);
    void tail.then(() => {
      if (this.customerQueues.get(id) === tail) this.customerQueues.delete(id);
    });
    return run;
  }

  /** Under the customer's row lock: it exists, is not being deleted, and has a free slot. */
  private async assertCanIssue(tx: EntityManager, id: CustomerId): Promise<void> {
    const customer = await new CustomerRepository(tx).lockById(id);
    if (!customer) throw customerNotFound(id);
    if (customer.deletionRequestedAt) throw customerBeingDeleted(id);
    const max = this.options.credentials.maxActivePerCustomer;
    const taken =
      (await new CredentialRepository(tx).countActive(id)) +
      (await new CredentialReservationRepository(tx).countLive(id));
    if (taken >= max) {
      throw new ControlError(
        'conflict',
        `customer "${id}" already has ${max} active credentials (or being issued), the most allowed; revoke one first`,
      );
    }
  }

  async list(
    principal: Principal,
    id: CustomerId,
    after: string | undefined,
    limit: number,
  ): Promise<CredentialPage> {
    await visibleCustomer(this.db.manager, principal, id);
    const size = Math.min(Math.max(1, limit), MAX_CREDENTIAL_PAGE_SIZE);
    const rows = await new CredentialRepository(this.db.manager).page(id, after, size + 1);
    const items = rows.slice(0, size).map(credentialView);
    return { items, next: rows.length > size ? items[items.length - 1].id : null };
  }

  /** Records the revocation; the provisioner removes the principal's access. Idempotent. */
  async revoke(principal: Principal, id: CustomerId, credentialId: string): Promise<void> {
    assertCanSeeCustomer(principal, id);
    await this.db.transaction(async (tx) => {
      if (!(await new CustomerRepository(tx).lockById(id))) throw customerNotFound(id);
      const credentials = new CredentialRepository(tx);
      const credential = await credentials.findOne(id, credentialId);
      if (!credential) {
        throw new ControlError(
          'not_found',
          `credential "${credentialId}" not found for customer "${id}"`,
        );
      }
      if (credential.revokedAt) return;
      await credentials.revoke(id, credentialId);
      await bumpGeneration(tx, id);
    });
  }
}
