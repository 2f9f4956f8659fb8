import type { Logger } from '@logstream/observability';
import { customerTopic, type CustomerId } from '@logstream/tenancy';
import { bytesPerSec, type TopicBytes } from './broker-topic-bytes.rules';
import { emptyEdgeDrops, type EdgeStatsTotals } from './edge-stats.rules';
import { emptyGroupMemory, type GroupMemory, groupLag } from './group-lag.rules';
import type { HealthMetrics } from './health.metrics';
import type { HealthRepository, RollupSample } from './health.repository';
import type {
  CustomerHealth,
  GroupHealth,
  GroupObservation,
  PartitionWatermarks,
} from './health.types';
import type { KafkaHealthReader } from './kafka-health.reader';
import { type OffsetPoint, recordPoint, timeOfOffset } from './offset-history.rules';

export interface HealthCollectorOptions {
  maxGroupsPerCustomer: number;
  retentionRiskFraction: number;
  /** Re-read retention.ms every this many collections (and for topics not seen before). */
  retentionRefreshEvery: number;
}

/** Something that wants each collection's result (alert evaluation). */
export type CollectionListener = (
  snapshots: ReadonlyMap<string, CustomerHealth>,
  at: Date,
) => Promise<void>;

/**
 * Per-customer edge figures for the collection (the edge-stats follower supplies them); called
 * once per collection, so what it reports as `added` is counted once.
 */
export type EdgeStatsSource = () => ReadonlyMap<string, EdgeStatsTotals>;

/** Per-topic byte counters summed over the brokers, or undefined when they cannot be read. */
export type BrokerBytesSource = () => Promise<ReadonlyMap<string, TopicBytes> | undefined>;

interface TopicMemory {
  history: Map<number, OffsetPoint[]>;
  /** Sum of high watermarks at the last collection, and when. */
  lastTotal: number;
  lastAtMs: number;
}

export interface CollectionResult {
  at: Date;
  customers: number;
  groups: number;
  durationMs: number;
  snapshots: Map<string, CustomerHealth>;
}

/**
 * One collection: customers from PostgreSQL; watermarks of all their topics, the consumer
 * groups under their prefixes, committed offsets; then each customer's health, stored as its
 * latest snapshot and added to the minute's rollup. State between collections (offset
 * history, group memory) lives here, in memory.
 */
export class HealthCollector {
  private readonly topics = new Map<string, TopicMemory>();
  private readonly groups = new Map<string, GroupMemory>();
  private readonly retention = new Map<string, number>();
  /** The brokers' byte counters per topic at the last collection that read them, and when. */
  private brokerBytesAt: { atMs: number; topics: ReadonlyMap<string, TopicBytes> } | undefined;
  private collectionsDone = 0;
  private readonly listeners: CollectionListener[] = [];

  constructor(
    private readonly reader: KafkaHealthReader,
    private readonly repo: HealthRepository,
    private readonly metrics: HealthMetrics,
    private readonly log: Logger,
    private readonly options: HealthCollectorOptions,
    private readonly edgeStats: EdgeStatsSource = () => new Map(),
    private readonly brokerBytes: BrokerBytesSource = () => Promise.resolve(undefined),
    private readonly now: () => number = Date.now,
  ) {}

  onCollection(listener: CollectionListener): void {
    this.listeners.push(listener);
  }

  async collectOnce(): Promise<CollectionResult> {
    const started = this.now();
    const customers = (await this.repo.customerIds()) as CustomerId[];
    const wantedTopics = customers.map((id) => customerTopic(id));
    const topics = await this.reader.existingTopics(wantedTopics);
    const watermarks: Map<string, PartitionWatermarks[]> =
      topics.length > 0 ? await this.reader.watermarks(topics) : new Map<string, never>();
    const nowMs = this.now();
    const fresh = topics.filter((t) => !this.retention.has(t));
    const refresh = this.collectionsDone % this.options.retentionRefreshEvery === 0;
    const retention = await this.reader.retentionMs(refresh ? topics : fresh);
    for (const [t, ms] of retention) this.retention.set(t, ms);

    const customerSet = new Set<string>(customers);
    const groupsByCustomer = new Map<string, string[]>();
    for (const groupId of (await this.reader.listGroups()).sort()) {
      const dot = groupId.indexOf('.');
      if (dot <= 0) continue;
      const customer = groupId.slice(0, dot);
      if (!customerSet.has(customer)) continue;
      const list = groupsByCustomer.get(customer) ?? [];
      // The bound: a customer with thousands of groups cannot make every collection slow.
      if (list.length < this.options.maxGroupsPerCustomer) list.push(groupId);
      groupsByCustomer.set(customer, list);
    }
    const wantedGroups: Array<{ groupId: string; topic: string; partitions: number[] }> = [];
    for (const [customer, ids] of groupsByCustomer) {
      const topic = customerTopic(customer as CustomerId);
      const wm = watermarks.get(topic);
      if (!wm) continue;
      for (const groupId of ids) {
        wantedGroups.push({ groupId, topic, partitions: wm.map((p) => p.partition) });
      }
    }
    const observed: Map<string, GroupObservation> =
      wantedGroups.length > 0 ? await this.reader.groups(wantedGroups) : new Map<string, never>();

    const edge = this.edgeStats();
    const bytesNow = await this.brokerBytes();
    const bytesBefore = this.brokerBytesAt;
    this.brokerBytesAt = bytesNow && { atMs: nowMs, topics: bytesNow };
    // A topic the brokers have no counter for had no traffic since they started: 0.
    const brokerRate = (topic: string, field: keyof TopicBytes): number | null =>
      bytesNow && bytesBefore
        ? bytesPerSec(
            bytesBefore.topics.get(topic)?.[field] ?? 0,
            bytesNow.get(topic)?.[field] ?? 0,
            (nowMs - bytesBefore.atMs) / 1000,
          )
        : null;
    const snapshots = new Map<string, CustomerHealth>();
    const rollups: RollupSample[] = [];
    const seenGroups = new Set<string>();
    this.metrics.groupLag.reset();
    this.metrics.groupLagSeconds.reset();
    this.metrics.groupMembers.reset();
    this.metrics.lostLines.reset();
    this.metrics.atRisk.reset();
    this.metrics.latestOffset.reset();
    this.metrics.earliestOffset.reset();
    this.metrics.producedLinesPerSec.reset();
    for (const customer of customers) {
      const topic = customerTopic(customer);
      const wm = watermarks.get(topic);
      const memory = this.topicMemory(topic, wm, nowMs);
      const retentionMs = this.retention.get(topic) ?? null;
      const groups: GroupHealth[] = [];
      for (const groupId of groupsByCustomer.get(customer) ?? []) {
        const group = observed.get(groupId);
        if (!group || !wm) continue;
        seenGroups.add(groupId);
        const { health, memory: next } = groupLag({
          group,
          watermarks: wm,
          history: memory?.history ?? new Map(),
          memory: this.groups.get(groupId) ?? emptyGroupMemory(),
          nowMs,
          retentionMs,
          riskFraction: this.options.retentionRiskFraction,
        });
        this.groups.set(groupId, next);
        groups.push(health);
        const labels = { customer, group: groupId, topic };
        this.metrics.groupLag.set(labels, health.lagLines);
        if (health.lagSeconds !== null) this.metrics.groupLagSeconds.set(labels, health.lagSeconds);
        this.metrics.groupMembers.set({ customer, group: groupId }, health.members);
        this.metrics.lostLines.set({ customer, group: groupId }, health.lostLines);
        this.metrics.atRisk.set({ customer, group: groupId }, health.atRisk ? 1 : 0);
      }
      const produced = memory ? this.producedSince(memory, wm ?? [], nowMs) : undefined;
      if (produced && produced.lines > 0)
        this.metrics.producedLines.inc({ customer }, produced.lines);
      for (const p of wm ?? []) {
        const labels = { customer, topic, partition: String(p.partition) };
        this.metrics.latestOffset.set(labels, p.high);
        this.metrics.earliestOffset.set(labels, p.low);
      }
      const edgeTotals = edge.get(customer) ?? emptyEdgeDrops();
      const linesPerSec = produced?.perSec ?? 0;
      this.metrics.producedLinesPerSec.set({ customer }, linesPerSec);
      snapshots.set(customer, {
        asOf: new Date(nowMs).toISOString(),
        produced: {
          linesPerSec,
          bytesPerSec: edgeTotals.bytesPerSec,
          lastLineAt: lastLineAt(memory),
        },
        retention: { ms: retentionMs, oldestLineAt: oldestLineAt(memory, wm) },
        groups,
        edgeDrops: edgeTotals.drops,
        broker: {
          producedBytesPerSec: brokerRate(topic, 'bytesIn'),
          fetchedBytesPerSec: brokerRate(topic, 'bytesOut'),
        },
        lastError: wm ? null : 'the customer topic does not exist (streaming not enabled yet?)',
      });
      rollups.push({
        customerId: customer,
        producedLines: produced?.lines ?? 0,
        producedBytes: edgeTotals.added.routedBytes,
        maxLagLines: Math.max(0, ...groups.map((g) => g.lagLines)),
        maxLagSeconds: groups.length > 0 ? Math.max(...groups.map((g) => g.lagSeconds ?? 0)) : null,
        lostLines: Math.max(0, ...groups.map((g) => g.lostLines)),
        edgeInactive: edgeTotals.added.inactive,
        edgeOversize: edgeTotals.added.oversize,
      });
    }
    this.forget(new Set(topics), seenGroups);
    const at = new Date(nowMs);
    await this.repo.saveSnapshots(snapshots, at);
    await this.repo.addRollups(rollups, at);
    for (const listener of this.listeners) await listener(snapshots, at);
    this.collectionsDone++;
    const durationMs = this.now() - started;
    this.metrics.customers.set(customers.length);
    this.log.debug('collection done', {
      customers: customers.length,
      groups: wantedGroups.length,
      durationMs,
    });
    return { at, customers: customers.length, groups: wantedGroups.length, durationMs, snapshots };
  }

  private topicMemory(
    topic: string,
    wm: readonly PartitionWatermarks[] | undefined,
    nowMs: number,
  ): TopicMemory | undefined {
    if (!wm) return undefined;
    let memory = this.topics.get(topic);
    if (!memory) {
      memory = { history: new Map(), lastTotal: -1, lastAtMs: nowMs };
      this.topics.set(topic, memory);
    }
    for (const p of wm) {
      let points = memory.history.get(p.partition);
      if (!points) memory.history.set(p.partition, (points = []));
      recordPoint(points, { offset: p.high, timeMs: nowMs });
    }
    return memory;
  }

  private producedSince(
    memory: TopicMemory,
    wm: readonly PartitionWatermarks[],
    nowMs: number,
  ): { lines: number; perSec: number } {
    const total = wm.reduce((sum, p) => sum + p.high, 0);
    const first = memory.lastTotal < 0;
    const lines = first ? 0 : Math.max(0, total - memory.lastTotal);
    const seconds = (nowMs - memory.lastAtMs) / 1000;
    memory.lastTotal = total;
    memory.lastAtMs = nowMs;
    return { lines, perSec: first || seconds <= 0 ? 0 : round3(lines / seconds) };
  }

  private forget(topics: Set<string>, groups: Set<string>): void {
    for (const t of this.topics.keys()) if (!topics.has(t)) this.topics.delete(t);
    for (const g of this.groups.keys()) if (!groups.has(g)) this.groups.delete(g);
    for (const t of this.retention.keys()) if (!topics.has(t)) this.retention.delete(t);
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** When the newest line was seen: the first collection that saw the current watermark. */
function lastLineAt(memory: TopicMemory | undefined): string | null {
  let latest: number | undefined;
  for (const points of memory?.history.values() ?? []) {
    const last = points[points.length - 1];
    if (last && last.offset > 0 && points.length > 1) latest = Math.max(latest ?? 0, last.timeMs);
  }
  return latest === undefined ? null : new Date(latest).toISOString();
}

/** When the oldest retained line was appended, if the recorded history reaches back to it. */
function oldestLineAt(
  memory: TopicMemory | undefined,
  wm: readonly PartitionWatermarks[] | undefined,
): string | null {
  let oldest: number | undefined;
  for (const p of wm ?? []) {
    if (p.high <= p.low) continue;
    const t = timeOfOffset(memory?.history.get(p.partition) ?? [], p.low);
    if (!t?.exact) return null; // older than the history: unknown
    oldest = Math.min(oldest ?? Infinity, t.timeMs);
  }
  return oldest === undefined ? null : new Date(oldest).toISOString();
}
