import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { credentialBundleStream } from '@logstream/bundle';
import { bumpGeneration, CredentialRepository, CustomerRepository } from '@logstream/persistence';
import { credentialPrincipal, credentialSubject, type CustomerId } from '@logstream/tenancy';
import { assertCanSeeCustomer } from './access.rules';
import { ControlError, customerBeingDeleted, customerNotFound } from './control.errors';
import {
  CONTROL_OPTIONS,
  type ControlOptions,
  type CredentialView,
  type Principal,
} from './control.types';
import { credentialView } from './customer-views.factory';
import { randomCredentialId } from './secrets.rules';

export interface IssuedCredential {
  credential: CredentialView;
  /** The zip bundle, holding the only copy of the private key. */
  bundle: Readable;
  fileName: string;
}

@Injectable()
export class CredentialsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {}

  /** Checks the customer may get one more credential; run again under the row lock. */
  private async assertCanIssue(em: EntityManager, id: CustomerId, lock: boolean): Promise<void> {
    const customers = new CustomerRepository(em);
    const customer = lock ? await customers.lockById(id) : await customers.findById(id);
    if (!customer) throw customerNotFound(id);
    if (customer.deletionRequestedAt) throw customerBeingDeleted(id);
    const max = this.options.credentials.maxActivePerCustomer;
    if ((await new CredentialRepository(em).countActive(id)) >= max) {
      throw new ControlError(
        'conflict',
        `customer "${id}" already has ${max} active credentials, the most allowed; revoke one first`,
      );
    }
  }

  /**
   * Issues a client certificate for a new principal of its own and records it (serial and
   * fingerprint, never the key). The provisioner grants the principal access.
   */
  async issue(principal: Principal, id: CustomerId): Promise<IssuedCredential> {
    assertCanSeeCustomer(principal, id);
    // Cheap checks first: making a key pair costs a noticeable slice of CPU.
    await this.assertCanIssue(this.db.manager, id, false);
    const { authority, brokerCaPem, validityDays } = this.options.credentials;
    const credentialId = randomCredentialId();
    // Separate RDNs (O, OU = customer id, CN = credential id): a 63-character id still fits the
    // 64-character limit of each, and the broker's mapping rules build the principal from them.
    const certificate = authority.issue({
      ...credentialSubject(id, credentialId),
      usage: 'client',
      validityDays,
    });
    // Built before the row is written: a bundle that cannot be made leaves no credential behind.
    const bundle = credentialBundleStream({
      customerId: id,
      credentialId,
      bootstrapServers: this.options.customerBootstrap,
      caCertPem: brokerCaPem,
      certificate,
    });
    try {
      const row = await this.db.transaction(async (tx) => {
        await this.assertCanIssue(tx, id, true);
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
      });
      return {
        credential: credentialView(row),
        bundle,
        fileName: `${id}-logstream-${credentialId}.zip`,
      };
    } catch (err) {
      bundle.destroy();
      throw err;
    }
  }

  async list(principal: Principal, id: CustomerId): Promise<CredentialView[]> {
    assertCanSeeCustomer(principal, id);
    if (!(await new CustomerRepository(this.db.manager).findById(id))) throw customerNotFound(id);
    const rows = await new CredentialRepository(this.db.manager).listByCustomer(id);
    return rows.map(credentialView);
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
