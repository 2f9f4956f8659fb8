import type { DataSource } from 'typeorm';
import { DesiredStateService } from '@logstream/persistence';
import type { CertificateAuthority } from '@logstream/pki';
import { credentialPrincipal, type CustomerId } from '@logstream/tenancy';
import { randomToken } from './ids';
import { type ClientFiles, writeClientCertificate } from './test-pki';

/**
 * Writes desired state through the control API's own commands (libs/persistence's
 * DesiredStateService: same rows, generation bumped and the provisioner notified in the same
 * transaction), so provisioner tests need no HTTP layer yet run on the rows the API writes.
 * A command the API would refuse (unknown customer, one being deleted) throws here.
 */
export class DesiredStateWriter {
  private readonly desired: DesiredStateService;

  constructor(private readonly db: DataSource) {
    this.desired = new DesiredStateService(db);
  }

  /** POST /v1/customers, then (when `enabled`) PUT streaming on, as two API calls would. */
  async createCustomer(id: CustomerId, enabled = false): Promise<void> {
    if (!(await this.desired.createCustomer(id, `Customer ${id}`))) {
      throw new Error(`customer ${id} already exists`);
    }
    if (enabled) await this.setStreaming(id, true);
  }

  async setStreaming(id: CustomerId, enabled: boolean): Promise<void> {
    const { outcome } = await this.desired.setStreaming(id, enabled);
    if (outcome === 'not_found' || outcome === 'being_deleted') {
      throw new Error(`cannot switch streaming of ${id}: ${outcome}`);
    }
  }

  /** A credential as the API records it (its certificate written to files for the client). */
  async issueCredential(
    id: CustomerId,
    ca: CertificateAuthority,
    caFile: string,
  ): Promise<ClientFiles> {
    const credentialId = randomToken();
    const files = await writeClientCertificate(ca, caFile, credentialPrincipal(id, credentialId));
    await this.addCredential(id, credentialId);
    return files;
  }

  /** Records a credential whose certificate the caller made, as the control API does. */
  async addCredential(id: CustomerId, credentialId: string): Promise<void> {
    const { outcome } = await this.desired.addCredential(
      {
        id: credentialId,
        customerId: id,
        principal: credentialPrincipal(id, credentialId),
        serial: 'test',
        fingerprintSha256: 'test',
        expiresAt: new Date(Date.now() + 86_400_000),
      },
      Number.MAX_SAFE_INTEGER,
    );
    if (outcome !== 'changed') throw new Error(`cannot add a credential to ${id}: ${outcome}`);
  }

  async revokeCredential(id: CustomerId, principal: string): Promise<void> {
    const credentialId = principal.split('.').pop() ?? '';
    const { outcome } = await this.desired.revokeCredential(id, credentialId);
    if (outcome === 'not_found' || outcome === 'credential_not_found') {
      throw new Error(`cannot revoke ${principal}: ${outcome}`);
    }
  }

  async requestDeletion(id: CustomerId): Promise<void> {
    const { outcome } = await this.desired.requestDeletion(id);
    if (outcome === 'not_found') throw new Error(`cannot delete ${id}: not found`);
  }

  async status(id: CustomerId): Promise<CustomerStatus | undefined> {
    const rows: CustomerStatusRow[] = await this.db.query(
      `SELECT streaming_state, generation, observed_generation, last_error, active_since, provisioning_ms
       FROM customers WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      state: r.streaming_state,
      generation: Number(r.generation),
      observedGeneration: Number(r.observed_generation),
      lastError: r.last_error,
      activeSince: r.active_since,
      provisioningMs: r.provisioning_ms,
    };
  }
}

interface CustomerStatusRow {
  streaming_state: string;
  generation: string;
  observed_generation: string;
  last_error: string | null;
  active_since: Date | null;
  provisioning_ms: number | null;
}

export interface CustomerStatus {
  state: string;
  generation: number;
  observedGeneration: number;
  lastError: string | null;
  activeSince: Date | null;
  provisioningMs: number | null;
}
