import type { DataSource } from 'typeorm';
import { bumpGeneration } from '@logstream/persistence';
import type { CertificateAuthority } from '@logstream/pki';
import { credentialPrincipal, type CustomerId } from '@logstream/tenancy';
import { randomToken } from './ids';
import { type ClientFiles, writeClientCertificate } from './test-pki';

/**
 * Writes desired state the way the control API does (same tables, generation bumped and the
 * provisioner notified in the same transaction), so provisioner tests need no HTTP layer.
 */
export class DesiredStateWriter {
  constructor(private readonly db: DataSource) {}

  async createCustomer(id: CustomerId, enabled = false): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO customers (id, name, streaming_enabled, streaming_state) VALUES ($1, $2, $3, $4)`,
        [id, `Customer ${id}`, enabled, enabled ? 'provisioning' : 'disabled'],
      );
      await bumpGeneration(tx, id);
    });
  }

  async setStreaming(id: CustomerId, enabled: boolean): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE customers SET streaming_enabled = $2, streaming_state = $3 WHERE id = $1`,
        [id, enabled, enabled ? 'provisioning' : 'disabling'],
      );
      await bumpGeneration(tx, id);
    });
  }

  async issueCredential(
    id: CustomerId,
    ca: CertificateAuthority,
    caFile: string,
  ): Promise<ClientFiles> {
    const files = await writeClientCertificate(ca, caFile, credentialPrincipal(id, randomToken()));
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO credentials (id, customer_id, principal, serial, fingerprint_sha256, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + interval '1 day')`,
        [files.principal.split('.').pop(), id, files.principal, 'test', 'test'],
      );
      await bumpGeneration(tx, id);
    });
    return files;
  }

  async revokeCredential(id: CustomerId, principal: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE credentials SET revoked_at = now() WHERE principal = $1`, [principal]);
      await bumpGeneration(tx, id);
    });
  }

  async requestDeletion(id: CustomerId): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE customers SET deletion_requested_at = now(), streaming_state = 'disabling' WHERE id = $1`,
        [id],
      );
      await bumpGeneration(tx, id);
    });
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
