import type { EdgeCustomerCounts } from '@logstream/registry';
import { customerIdOfTopic } from '@logstream/tenancy';
import type { TenantTable } from './tenant-table.index';

/** Counts kept per customer, in this order (the order of an edge stats record's arrays). */
const ROUTED_LINES = 0;
const ROUTED_BYTES = 1;
const INACTIVE = 2;
const OVERSIZE = 3;
const FIELDS = 4;

/**
 * Per-customer counts of one edge process since it started, indexed by the tenant's slot: one
 * Float64Array holding each slot's four counts side by side, so the per-line cost is an index
 * and an add (no map, no string). Float64 counts stay exact up to 2^53. Never exposed as
 * Prometheus labels (10,000 customers × every node would be too many series): they leave the
 * node as one edge stats record a minute.
 */
export class CustomerCounters {
  private counts = new Float64Array(64 * FIELDS);

  routed(slot: number, bytes: number): void {
    const i = slot * FIELDS;
    if (i >= this.counts.length) this.grow(i);
    this.counts[i + ROUTED_LINES]++;
    this.counts[i + ROUTED_BYTES] += bytes;
  }

  /** Takes back a {@link routed} (the line went to the disk spool and is routed again later). */
  unrouted(slot: number, bytes: number): void {
    const i = slot * FIELDS;
    if (i >= this.counts.length) return;
    this.counts[i + ROUTED_LINES]--;
    this.counts[i + ROUTED_BYTES] -= bytes;
  }

  inactive(slot: number): void {
    const i = slot * FIELDS;
    if (i >= this.counts.length) this.grow(i);
    this.counts[i + INACTIVE]++;
  }

  oversize(slot: number): void {
    const i = slot * FIELDS;
    if (i >= this.counts.length) this.grow(i);
    this.counts[i + OVERSIZE]++;
  }

  /** Every customer with a count, by id (the slot's topic names it), as a record carries them. */
  totals(table: TenantTable): Record<string, EdgeCustomerCounts> {
    const out: Record<string, EdgeCustomerCounts> = {};
    const c = this.counts;
    const slots = Math.min(table.slotCount, c.length / FIELDS);
    for (let slot = 0; slot < slots; slot++) {
      const i = slot * FIELDS;
      if (c[i] === 0 && c[i + 1] === 0 && c[i + 2] === 0 && c[i + 3] === 0) continue;
      const id = customerIdOfTopic(table.topicOfSlot(slot));
      if (id === undefined) continue;
      out[id] = [c[i + ROUTED_LINES], c[i + ROUTED_BYTES], c[i + INACTIVE], c[i + OVERSIZE]];
    }
    return out;
  }

  /** Slots only grow (a topic keeps its slot), so the array doubles past the one asked for. */
  private grow(index: number): void {
    let size = this.counts.length;
    while (size <= index) size *= 2;
    const grown = new Float64Array(size);
    grown.set(this.counts);
    this.counts = grown;
  }
}
