import type { ArchiveReportedState } from '@logstream/archive';
import { archiveFailingConditions, archiveFailingProblem } from './archive-failing.rules';
import type { CustomerHealth } from './health.types';

/** One rule as a customer writes it: `{ type, ...parameters }`. */
export interface AlertRule {
  type: string;
  [parameter: string]: unknown;
}

/** One thing a rule watches (the topic, one group...) and whether it fires now. */
export interface AlertCondition {
  subject: string;
  firing: boolean;
  details: Record<string, unknown>;
}

/** The customer's archive as the archiver last reported it (customer_archives). */
export interface ArchiveAlertFacts {
  state: ArchiveReportedState;
  /** The status sentence the API and the panel show. */
  summary: string;
  /** Already in the customer's words (store-errors.rules), never a raw SDK error. */
  lastError: string | null;
  behindSeconds: number;
  /** Start of the current failure; null unless failing or failed. */
  failingSince: Date | null;
}

/** What the engine read besides the health snapshot, for rules that watch other parts. */
export interface AlertFacts {
  /** Null: no archive configured (or deleted). */
  archive: ArchiveAlertFacts | null;
}

export interface AlertRuleDefinition {
  type: string;
  description: string;
  /** A clear reason the parameters are wrong, or undefined. */
  validate(rule: AlertRule): string | undefined;
  evaluate(
    rule: AlertRule,
    health: CustomerHealth,
    nowMs: number,
    facts: AlertFacts,
  ): AlertCondition[];
}

const registry = new Map<string, AlertRuleDefinition>();

/** Other features (archive, statistics) add their rules here at start. */
export function registerAlertRule(definition: AlertRuleDefinition): void {
  registry.set(definition.type, definition);
}

export function alertRule(type: string): AlertRuleDefinition | undefined {
  return registry.get(type);
}

export function alertRuleTypes(): string[] {
  return [...registry.keys()].sort();
}

function positiveInt(rule: AlertRule, name: string, max: number): string | undefined {
  const v = rule[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    return `rule "${rule.type}" needs "${name}", a whole number from 1 to ${max}`;
  }
  return undefined;
}

function noExtra(rule: AlertRule, allowed: string[]): string | undefined {
  const extra = Object.keys(rule).filter((k) => k !== 'type' && !allowed.includes(k));
  return extra.length > 0
    ? `rule "${rule.type}" has unknown fields: ${extra.join(', ')}`
    : undefined;
}

registerAlertRule({
  type: 'no-lines',
  description: 'No line appended to the topic for `minutes` minutes',
  validate: (r) => noExtra(r, ['minutes']) ?? positiveInt(r, 'minutes', 10_080),
  evaluate: (r, h, nowMs) => {
    const last = h.produced.lastLineAt === null ? null : Date.parse(h.produced.lastLineAt);
    const idleMs = last === null ? null : nowMs - last;
    const firing =
      idleMs !== null && h.produced.linesPerSec === 0 && idleMs >= Number(r.minutes) * 60_000;
    return [{ subject: 'topic', firing, details: { lastLineAt: h.produced.lastLineAt } }];
  },
});

registerAlertRule({
  type: 'group-lag',
  description: 'A consumer group is more than `seconds` seconds behind',
  validate: (r) => noExtra(r, ['seconds']) ?? positiveInt(r, 'seconds', 30 * 86_400),
  evaluate: (r, h) =>
    h.groups.map((g) => ({
      subject: `group:${g.groupId}`,
      firing: g.lagSeconds !== null && g.lagSeconds > Number(r.seconds),
      details: { groupId: g.groupId, lagSeconds: g.lagSeconds, lagLines: g.lagLines },
    })),
});

registerAlertRule({
  type: 'retention-risk',
  description: "A group's oldest unread line is close to being deleted by retention",
  validate: (r) => noExtra(r, []),
  evaluate: (_r, h) =>
    h.groups.map((g) => ({
      subject: `group:${g.groupId}`,
      firing: g.atRisk,
      details: { groupId: g.groupId, lagSeconds: g.lagSeconds, retentionMs: h.retention.ms },
    })),
});

registerAlertRule({
  type: 'lines-lost',
  description: 'Retention deleted lines before a group read them',
  validate: (r) => noExtra(r, []),
  evaluate: (_r, h) =>
    h.groups.map((g) => ({
      subject: `group:${g.groupId}`,
      firing: g.lostLines > 0,
      details: { groupId: g.groupId, lostLines: g.lostLines },
    })),
});

registerAlertRule({
  type: 'archive-failing',
  description: 'The archive has been failing or failed for `seconds` seconds (default 300)',
  validate: archiveFailingProblem,
  evaluate: (r, _h, nowMs, facts) => archiveFailingConditions(r, facts, nowMs),
});
