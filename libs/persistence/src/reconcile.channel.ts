import type { EntityManager } from 'typeorm';
import { returnedRows } from './query-result';

/** Postgres NOTIFY channel that wakes the provisioner; the payload is the customer id. */
export const RECONCILE_CHANNEL = 'logstream_reconcile';

/**
 * Bumps the customer's generation and wakes the provisioner, inside the caller's transaction:
 * the notification is delivered only if the change commits. Returns the new generation, or
 * undefined when the customer does not exist.
 */
export async function bumpGeneration(
  tx: EntityManager,
  customerId: string,
): Promise<number | undefined> {
  const result: unknown = await tx.query(
    `UPDATE customers SET generation = generation + 1, updated_at = now()
     WHERE id = $1 RETURNING generation`,
    [customerId],
  );
  const rows = returnedRows<{ generation: string }>(result);
  if (rows.length === 0) return undefined;
  await notifyReconcile(tx, customerId);
  return Number(rows[0].generation);
}

/** Wakes the provisioner for one customer once the caller's transaction commits. */
export async function notifyReconcile(tx: EntityManager, customerId: string): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [RECONCILE_CHANNEL, customerId]);
}

/**
 * The payload that tells the provisioner the enrolled edge nodes changed (an enrollment or a
 * revocation). It is no customer id (customer ids never hold "@"), so older listeners ignore it.
 */
export const EDGE_NODES_CHANGED = '@edge-nodes';

/** Wakes the provisioner to reconcile edge ACLs once the caller's transaction commits. */
export async function notifyEdgeNodesChanged(tx: EntityManager): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [RECONCILE_CHANNEL, EDGE_NODES_CHANGED]);
}
