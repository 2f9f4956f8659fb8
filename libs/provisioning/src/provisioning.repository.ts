import type { DataSource } from 'typeorm';
import { affectedRows, type StreamingState } from '@logstream/persistence';
import { type CustomerId, isCustomerId } from '@logstream/tenancy';
import type { EdgeNodeInput } from './edge-acls.rules';
import type { CustomerDesiredInput } from './provisioning.types';

interface CustomerRow {
  id: string;
  generation: string;
  observed_generation: string;
  streaming_enabled: boolean;
  deletion_requested_at: Date | null;
  streaming_state: StreamingState;
  updated_at: Date;
  quota_consumer_byte_rate: string | null;
  quota_request_percentage: number | null;
}

interface CredentialRow {
  id: string;
  customer_id: string;
  principal: string;
  revoked_at: Date | null;
  expires_at: Date;
}

export interface StateReport {
  state: StreamingState;
  lastError: string | null;
}

const CUSTOMER_COLUMNS = `id, generation, observed_generation, streaming_enabled, deletion_requested_at,
  streaming_state, updated_at, quota_consumer_byte_rate, quota_request_percentage`;

/**
 * The provisioner's view of PostgreSQL: it reads desired state and writes observed state, and
 * every write is guarded by the generation it reconciled, so a report about an older request
 * never overwrites the state of a newer one.
 */
export class ProvisioningRepository {
  constructor(private readonly db: DataSource) {}

  async loadDesired(customerId: CustomerId): Promise<CustomerDesiredInput | undefined> {
    const rows: CustomerRow[] = await this.db.query(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1`,
      [customerId],
    );
    if (rows.length === 0) return undefined;
    const creds: CredentialRow[] = await this.db.query(
      'SELECT id, customer_id, principal, revoked_at, expires_at FROM credentials WHERE customer_id = $1',
      [customerId],
    );
    return toDesired(rows[0], creds);
  }

  /** Every customer with its credentials, for a full resync (two queries, whatever the count). */
  async loadAllDesired(): Promise<CustomerDesiredInput[]> {
    const rows: CustomerRow[] = await this.db.query(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers ORDER BY id`,
    );
    const creds: CredentialRow[] = await this.db.query(
      'SELECT id, customer_id, principal, revoked_at, expires_at FROM credentials',
    );
    const byCustomer = new Map<string, CredentialRow[]>();
    for (const c of creds) {
      const list = byCustomer.get(c.customer_id) ?? [];
      list.push(c);
      byCustomer.set(c.customer_id, list);
    }
    return rows.flatMap((row) => {
      const desired = toDesired(row, byCustomer.get(row.id) ?? []);
      return desired ? [desired] : [];
    });
  }

  /** Enrolled edge nodes not revoked (the rules drop expired and malformed ones). */
  async loadLiveEdgeNodes(): Promise<EdgeNodeInput[]> {
    const rows: Array<{ name: string; principal: string; not_after: Date }> = await this.db.query(
      'SELECT name, principal, not_after FROM edge_nodes WHERE revoked_at IS NULL ORDER BY name',
    );
    return rows.map((r) => ({
      name: r.name,
      principal: r.principal,
      notAfter: r.not_after,
      revokedAt: null,
    }));
  }

  /**
   * Records the outcome of reconciling `generation`. `active_since` starts when the customer
   * turns active and is kept while it stays active; `provisioning_ms` measures request to active.
   * Returns false when the customer has moved on to a newer generation (nothing written).
   */
  async report(customerId: CustomerId, generation: number, report: StateReport): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE customers SET
         streaming_state = $3::varchar,
         last_error = $4::text,
         observed_generation = $2::bigint,
         state_changed_at = CASE WHEN streaming_state = $3::varchar THEN state_changed_at ELSE now() END,
         active_since = CASE
           WHEN $3::varchar <> 'active' THEN NULL
           WHEN streaming_state = 'active' AND active_since IS NOT NULL THEN active_since
           ELSE now() END,
         provisioning_ms = CASE
           WHEN $3::varchar = 'active' AND streaming_state <> 'active'
             THEN (EXTRACT(EPOCH FROM (clock_timestamp() - updated_at)) * 1000)::integer
           ELSE provisioning_ms END
       WHERE id = $1 AND generation = $2::bigint
       RETURNING id`,
      [customerId, generation, report.state, report.lastError],
    );
    return affectedRows(result) > 0;
  }

  /** Records a failure without claiming the generation was reconciled. */
  async reportFailure(
    customerId: CustomerId,
    generation: number,
    lastError: string,
  ): Promise<boolean> {
    const result: unknown = await this.db.query(
      `UPDATE customers SET streaming_state = 'failed', last_error = $3::text,
         state_changed_at = CASE WHEN streaming_state = 'failed' THEN state_changed_at ELSE now() END,
         active_since = NULL
       WHERE id = $1 AND generation = $2 RETURNING id`,
      [customerId, generation, lastError],
    );
    return affectedRows(result) > 0;
  }

  /**
   * Raises each customer's generation above what the registry already holds for it, where the
   * database is behind (a restored backup): the next record then wins at every edge node.
   * Returns the customers raised (each is notified, so it is reconciled).
   */
  async raiseGenerationsAbove(registry: ReadonlyMap<CustomerId, number>): Promise<CustomerId[]> {
    if (registry.size === 0) return [];
    const rows: Array<{ id: string }> = await this.db.query(
      `UPDATE customers c SET generation = v.generation + 1, updated_at = now()
       FROM unnest($1::text[], $2::bigint[]) AS v(id, generation)
       WHERE c.id = v.id AND c.generation < v.generation
       RETURNING c.id`,
      [[...registry.keys()], [...registry.values()]],
    );
    return rows.map((r) => r.id).filter(isCustomerId);
  }

  /** Removes a deprovisioned customer, only if nobody changed it since (same generation). */
  async deleteCustomer(customerId: CustomerId, generation: number): Promise<boolean> {
    const result: unknown = await this.db.query(
      `DELETE FROM customers WHERE id = $1 AND generation = $2 AND deletion_requested_at IS NOT NULL
       RETURNING id`,
      [customerId, generation],
    );
    return affectedRows(result) > 0;
  }
}

function toDesired(row: CustomerRow, creds: CredentialRow[]): CustomerDesiredInput | undefined {
  // A row whose id breaks the contract cannot name a Kafka resource; it is skipped, not guessed.
  if (!isCustomerId(row.id)) return undefined;
  return {
    customerId: row.id,
    generation: Number(row.generation),
    streamingEnabled: row.streaming_enabled,
    deletionRequested: row.deletion_requested_at !== null,
    requestedAt: row.updated_at,
    observedGeneration: Number(row.observed_generation),
    state: row.streaming_state,
    quota: {
      consumerByteRate:
        row.quota_consumer_byte_rate === null ? null : Number(row.quota_consumer_byte_rate),
      requestPercentage: row.quota_request_percentage,
    },
    credentials: creds.map((c) => ({
      id: c.id,
      principal: c.principal,
      revokedAt: c.revoked_at,
      expiresAt: c.expires_at,
    })),
  };
}
