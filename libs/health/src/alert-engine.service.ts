import type { DataSource } from 'typeorm';
import { archiveStatusView } from '@logstream/archive';
import type { Logger } from '@logstream/observability';
import { ArchiveRepository } from '@logstream/persistence';
import { type AlertFacts, type AlertRule, alertRule } from './alert-rules.registry';
import type { CustomerHealth } from './health.types';

interface SubscriptionRow {
  id: string;
  customer_id: string;
  rules: AlertRule[];
}

/**
 * After each collection: every subscription's rules against its customer's health. A change
 * of an alert's state (firing <-> resolved) bumps its `seq` and queues exactly one webhook
 * message in the same transaction; the unique (subscription, alert, seq) makes a repeated
 * evaluation harmless.
 */
export class AlertEngine {
  constructor(
    private readonly db: DataSource,
    private readonly log: Logger,
  ) {}

  async evaluate(snapshots: ReadonlyMap<string, CustomerHealth>, at: Date): Promise<number> {
    const subs: SubscriptionRow[] = await this.db.query(
      `SELECT id, customer_id, rules FROM alert_subscriptions`,
    );
    if (subs.length === 0) return 0;
    const states: Array<{
      subscription_id: string;
      alert_key: string;
      firing: boolean;
      seq: number;
    }> = await this.db.query(`SELECT subscription_id, alert_key, firing, seq FROM alert_states`);
    const known = new Map(states.map((s) => [`${s.subscription_id} ${s.alert_key}`, s]));
    const facts = await this.facts([...new Set(subs.map((s) => s.customer_id))]);
    let changes = 0;
    for (const sub of subs) {
      const health = snapshots.get(sub.customer_id);
      if (!health) continue;
      const seen = new Set<string>();
      const mine = facts.get(sub.customer_id) ?? { archive: null };
      for (const [index, rule] of sub.rules.entries()) {
        const definition = alertRule(rule.type);
        if (!definition) continue;
        for (const condition of definition.evaluate(rule, health, at.getTime(), mine)) {
          const alertKey = `${index}:${rule.type}:${condition.subject}`;
          seen.add(alertKey);
          const state = known.get(`${sub.id} ${alertKey}`);
          if ((state?.firing ?? false) === condition.firing) continue;
          await this.change(
            sub,
            alertKey,
            rule,
            condition.subject,
            condition.firing,
            (state?.seq ?? 0) + 1,
            condition.details,
            at,
          );
          changes++;
        }
      }
      // A subject that disappeared (group deleted) is no longer firing.
      for (const s of states) {
        if (s.subscription_id !== sub.id || !s.firing || seen.has(s.alert_key)) continue;
        const [index, type, ...subject] = s.alert_key.split(':');
        const rule = sub.rules[Number(index)] ?? { type };
        await this.change(
          sub,
          s.alert_key,
          rule,
          subject.join(':'),
          false,
          s.seq + 1,
          { gone: true },
          at,
        );
        changes++;
      }
    }
    return changes;
  }

  /**
   * The rules stay pure: what they watch besides the health snapshot is read here, one query
   * for all subscribed customers. The archive's state words are the API's (archiveStatusView),
   * so an alert says what GET /archive and the panel say.
   */
  private async facts(customerIds: string[]): Promise<Map<string, AlertFacts>> {
    const archives = await new ArchiveRepository(this.db.manager).listWithCustomers(customerIds);
    return new Map(
      archives.map(({ archive, streaming }) => {
        const status = archiveStatusView(archive, streaming);
        return [
          archive.customerId,
          {
            archive: {
              state: status.state,
              summary: status.summary,
              lastError: status.lastError,
              behindSeconds: status.behindSeconds,
              failingSince: archive.failingSince,
            },
          },
        ];
      }),
    );
  }

  private async change(
    sub: SubscriptionRow,
    alertKey: string,
    rule: AlertRule,
    subject: string,
    firing: boolean,
    seq: number,
    details: Record<string, unknown>,
    at: Date,
  ): Promise<void> {
    const event = firing ? 'firing' : 'resolved';
    const body = JSON.stringify({
      type: 'logstream.alert',
      event,
      customerId: sub.customer_id,
      subscriptionId: sub.id,
      alert: alertKey,
      rule,
      subject,
      seq,
      at: at.toISOString(),
      details,
    });
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO alert_states (subscription_id, alert_key, firing, seq, changed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (subscription_id, alert_key) DO UPDATE
           SET firing = EXCLUDED.firing, seq = EXCLUDED.seq, changed_at = EXCLUDED.changed_at`,
        [sub.id, alertKey, firing, seq, at],
      );
      await tx.query(
        `INSERT INTO alert_deliveries (subscription_id, alert_key, seq, event, body)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT ON CONSTRAINT "UQ_alert_deliveries_change" DO NOTHING`,
        [sub.id, alertKey, seq, event, body],
      );
    });
    this.log.info('alert state changed', {
      customer: sub.customer_id,
      alert: alertKey,
      event,
      seq,
    });
  }
}
