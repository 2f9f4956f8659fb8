import type { DecodedRegistryEntry } from '@logstream/registry';
import type { CustomerId } from '@logstream/tenancy';
import { hashIdBytes, sameBytes } from './customer-id-bytes.rules';

/** One customer as the registry last described it. */
export interface Tenant {
  readonly id: CustomerId;
  /** Its topic's dense number (0, 1, 2, …; see topicOfSlot): one producer handle per slot. */
  readonly slot: number;
  readonly idBytes: Buffer;
  readonly hash: number;
  enabled: boolean;
  generation: number;
  /** The next tenant whose id has the same hash. */
  next: Tenant | undefined;
}

export type RegistryApplyResult =
  'added' | 'updated' | 'unchanged' | 'removed' | 'absent' | 'stale' | 'invalid';

/**
 * The edge's in-memory index of the tenant registry (a hash table; nothing is persisted), fed
 * record by record from the compacted topic and looked up by the raw bytes of a line's id. A
 * record older than the one held (a lower generation) is ignored, so a superseded writer can
 * never re-enable a customer.
 */
export class TenantTable {
  private readonly byHash = new Map<number, Tenant>();
  private readonly byId = new Map<string, Tenant>();
  /** Slot → topic; a topic keeps its slot when its customer is removed and comes back. */
  private readonly topics: string[] = [];
  private readonly slotOfTopic = new Map<string, number>();
  private enabledCount = 0;

  apply(entry: DecodedRegistryEntry): RegistryApplyResult {
    switch (entry.kind) {
      case 'invalid':
        return 'invalid';
      case 'tombstone':
        return this.remove(entry.customerId) ? 'removed' : 'absent';
      case 'upsert': {
        const { customerId, enabled, generation, topic } = entry.record;
        const held = this.byId.get(customerId);
        if (held === undefined) {
          this.insert(customerId, topic, enabled, generation);
          return 'added';
        }
        if (generation < held.generation) return 'stale';
        const changed = held.enabled !== enabled || held.generation !== generation;
        if (held.enabled !== enabled) this.enabledCount += enabled ? 1 : -1;
        held.enabled = enabled;
        held.generation = generation;
        return changed ? 'updated' : 'unchanged';
      }
    }
  }

  /** The tenant whose id is exactly `buf[start, end)`; `hash` is {@link hashIdBytes} of it. */
  find(buf: Uint8Array, start: number, end: number, hash: number): Tenant | undefined {
    let t = this.byHash.get(hash);
    while (t !== undefined && !sameBytes(t.idBytes, buf, start, end)) t = t.next;
    return t;
  }

  get(id: string): Tenant | undefined {
    return this.byId.get(id);
  }

  /** Topics ever seen: slots run from 0 to this minus one. */
  get slotCount(): number {
    return this.topics.length;
  }

  topicOfSlot(slot: number): string {
    const topic = this.topics[slot];
    if (topic === undefined) throw new RangeError(`no topic has slot ${slot}`);
    return topic;
  }

  get size(): number {
    return this.byId.size;
  }

  get enabled(): number {
    return this.enabledCount;
  }

  private insert(id: CustomerId, topic: string, enabled: boolean, generation: number): void {
    const idBytes = Buffer.from(id, 'latin1');
    const hash = hashIdBytes(idBytes, 0, idBytes.length);
    let slot = this.slotOfTopic.get(topic);
    if (slot === undefined) {
      slot = this.topics.push(topic) - 1;
      this.slotOfTopic.set(topic, slot);
    }
    const tenant: Tenant = {
      id,
      slot,
      idBytes,
      hash,
      enabled,
      generation,
      next: this.byHash.get(hash),
    };
    this.byHash.set(hash, tenant);
    this.byId.set(id, tenant);
    if (enabled) this.enabledCount++;
  }

  private remove(id: CustomerId): boolean {
    const tenant = this.byId.get(id);
    if (tenant === undefined) return false;
    this.byId.delete(id);
    if (tenant.enabled) this.enabledCount--;
    let head = this.byHash.get(tenant.hash);
    if (head === tenant) {
      head = tenant.next;
      if (head === undefined) this.byHash.delete(tenant.hash);
      else this.byHash.set(tenant.hash, head);
    } else {
      for (let t = head; t !== undefined; t = t.next) {
        if (t.next === tenant) {
          t.next = tenant.next;
          break;
        }
      }
    }
    return true;
  }
}
