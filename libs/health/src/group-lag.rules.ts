import type { GroupHealth, GroupObservation, PartitionWatermarks } from './health.types';
import { type OffsetPoint, timeOfOffset } from './offset-history.rules';

/** What the collector remembers of one group between two collections. */
export interface GroupMemory {
  /** Committed offset per partition at the last collection. */
  committed: Map<number, number>;
  /** Lines counted lost per partition that the group has since skipped over. */
  lostSettled: Map<number, number>;
  /** Low watermark per partition at the last collection. */
  low: Map<number, number>;
  lastCommitAtMs: number | null;
}

export interface GroupLagInput {
  group: GroupObservation;
  watermarks: readonly PartitionWatermarks[];
  history: ReadonlyMap<number, readonly OffsetPoint[]>;
  memory: GroupMemory | undefined;
  nowMs: number;
  retentionMs: number | null;
  riskFraction: number;
}

export function emptyGroupMemory(): GroupMemory {
  return { committed: new Map(), lostSettled: new Map(), low: new Map(), lastCommitAtMs: null };
}

/**
 * One group's health from its committed offsets and the topic's watermarks:
 * - lag in lines: retained lines at or after the committed offset (high - max(committed, low));
 * - lag in seconds: now minus the time the oldest unread line was appended, that time
 *   interpolated from the recorded (watermark, time) points (see docs/delivery-health.md);
 * - lost lines: a committed offset below the low watermark means retention deleted the lines
 *   in between before the group read them. When the group then skips ahead, the lines it
 *   skipped that were already gone at the previous collection stay counted.
 * Returns the answer and the memory for the next collection.
 */
export function groupLag(input: GroupLagInput): { health: GroupHealth; memory: GroupMemory } {
  const { group, watermarks, history, nowMs, retentionMs, riskFraction } = input;
  const previous = input.memory ?? emptyGroupMemory();
  const memory: GroupMemory = {
    committed: new Map(),
    lostSettled: new Map(previous.lostSettled),
    low: new Map(),
    lastCommitAtMs: previous.lastCommitAtMs,
  };
  let lagLines = 0;
  let oldestUnreadMs: number | undefined;
  let lostLines = 0;
  let belowLow = false;
  let moved = input.memory === undefined ? false : previous.committed.size !== group.committed.size;

  for (const wm of watermarks) {
    const committed = group.committed.get(wm.partition);
    if (committed === undefined || committed < 0) continue;
    memory.committed.set(wm.partition, committed);
    memory.low.set(wm.partition, wm.low);
    const before = previous.committed.get(wm.partition);
    if (before !== undefined && before !== committed) moved = true;
    if (before !== undefined && committed > before) {
      // Lines in [before, lowThen) were gone at the last collection and never read.
      const lowThen = previous.low.get(wm.partition) ?? before;
      const skipped = Math.min(committed, lowThen) - before;
      if (skipped > 0) {
        memory.lostSettled.set(wm.partition, (memory.lostSettled.get(wm.partition) ?? 0) + skipped);
      }
    }
    const gap = Math.max(0, wm.low - committed);
    if (gap > 0) belowLow = true;
    lostLines += gap + (memory.lostSettled.get(wm.partition) ?? 0);

    const firstUnread = Math.max(committed, wm.low);
    const lag = Math.max(0, wm.high - firstUnread);
    lagLines += lag;
    if (lag === 0) continue;
    const appended = timeOfOffset(history.get(wm.partition) ?? [], firstUnread);
    // Older than the history: the first point's time, so the age is a lower bound.
    if (!appended) continue;
    oldestUnreadMs = Math.min(oldestUnreadMs ?? Infinity, appended.timeMs);
  }
  if (moved) memory.lastCommitAtMs = nowMs;

  let lagSeconds: number | null = 0;
  if (lagLines > 0) {
    lagSeconds = oldestUnreadMs === undefined ? null : Math.max(0, (nowMs - oldestUnreadMs) / 1000);
  }
  // An age known only as a lower bound still says "at least this old".
  const ageMs = lagSeconds === null ? null : lagSeconds * 1000;
  const atRisk =
    belowLow ||
    (lagLines > 0 && retentionMs !== null && ageMs !== null && ageMs >= riskFraction * retentionMs);
  return {
    health: {
      groupId: group.groupId,
      state: group.state,
      members: group.members,
      lagLines,
      lagSeconds: lagSeconds === null ? null : Math.round(lagSeconds * 1000) / 1000,
      lastCommitAt:
        memory.lastCommitAtMs === null ? null : new Date(memory.lastCommitAtMs).toISOString(),
      atRisk,
      lostLines,
    },
    memory,
  };
}
