import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { credentialBundleStream } from '@logstream/bundle';
import {
  type AddCredentialResult,
  CredentialRepository,
  CustomerRepository,
  DesiredStateService,
} from '@logstream/persistence';
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

type IssueCheck = AddCredentialResult | { outcome: 'ok' };

/** The API's error for a credential the customer may not get; nothing when it may. */
function assertMayIssue(
  id: CustomerId,
  result: IssueCheck,
): asserts result is Extract<IssueCheck, { outcome: 'ok' | 'changed' }> {
  switch (result.outcome) {
    case 'ok':
    case 'changed':
      return;
    case 'not_found':
      throw customerNotFound(id);
    case 'being_deleted':
      throw customerBeingDeleted(id);
    case 'too_many':
      throw new ControlError(
        'conflict',
        `customer "${id}" already has ${result.maxActive} active credentials, the most allowed; revoke one first`,
      );
  }
}

@Injectable()
export class CredentialsService {
  private readonly desired: DesiredStateService;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) private readonly options: ControlOptions,
  ) {
    this.desired = new DesiredStateService(db);
  }

  /**
   * Issues a client certificate for a new principal of its own and records it (serial and
   * fingerprint, never the key). The provisioner grants the principal access.
   */
  async issue(principal: Principal, id: CustomerId): Promise<IssuedCredential> {
    assertCanSeeCustomer(principal, id);
    // Cheap checks first: making a key pair costs a noticeable slice of CPU.
    const max = this.options.credentials.maxActivePerCustomer;
    assertMayIssue(id, await this.desired.canAddCredential(id, max));
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
      // Checked again under the customer's row lock, with the credential's insert.
      const added = await this.desired.addCredential(
        {
          id: credentialId,
          customerId: id,
          principal: credentialPrincipal(id, credentialId),
          serial: certificate.serial,
          fingerprintSha256: certificate.fingerprintSha256,
          // As the certificate encodes it: whole seconds.
          expiresAt: new Date(Math.floor(certificate.notAfter.getTime() / 1000) * 1000),
        },
        max,
      );
      assertMayIssue(id, added);
      return {
        credential: credentialView(added.credential),
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
    const result = await this.desired.revokeCredential(id, credentialId);
    if (result.outcome === 'not_found') throw customerNotFound(id);
    if (result.outcome === 'credential_not_found') {
      throw new ControlError(
        'not_found',
        `credential "${credentialId}" not found for customer "${id}"`,
      );
    }
  }
}
