import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertsConfig } from '@logstream/config';
import { ControlError, type Principal, visibleCustomer } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { refusedAddress } from './address-policy.rules';
import { type AlertRule, alertRule, alertRuleTypes } from './alert-rules.registry';
import { encryptSecret, newSigningSecret } from './secret-box.rules';

export const ALERTS_CONFIG = Symbol('ALERTS_CONFIG');
export const MAX_SUBSCRIPTIONS_PER_CUSTOMER = 20;

export interface AlertSubscriptionView {
  id: string;
  url: string;
  rules: AlertRule[];
  createdAt: string;
  lastDelivery: {
    event: string;
    alert: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
    at: string;
  } | null;
}

/** Webhook subscriptions of a customer; the signing secret is returned by create only. */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ALERTS_CONFIG) private readonly config: AlertsConfig,
  ) {}

  private async assertCustomer(principal: Principal, id: CustomerId): Promise<void> {
    await visibleCustomer(this.db.manager, principal, id);
  }

  async create(
    principal: Principal,
    id: CustomerId,
    input: { url: string; rules: AlertRule[] },
  ): Promise<AlertSubscriptionView & { secret: string }> {
    const url = this.checkUrl(input.url);
    const rules = this.checkRules(input.rules);
    await this.assertCustomer(principal, id);
    const count: Array<{ n: number }> = await this.db.query(
      `SELECT count(*)::int AS n FROM alert_subscriptions WHERE customer_id = $1`,
      [id],
    );
    if ((count[0]?.n ?? 0) >= MAX_SUBSCRIPTIONS_PER_CUSTOMER) {
      throw new ControlError(
        'conflict',
        `at most ${MAX_SUBSCRIPTIONS_PER_CUSTOMER} alert subscriptions per customer; delete one first`,
      );
    }
    const secret = newSigningSecret();
    const rows: Array<{ id: string; created_at: Date }> = await this.db.query(
      `INSERT INTO alert_subscriptions (customer_id, url, rules, secret_ciphertext)
       VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
      [id, url, JSON.stringify(rules), encryptSecret(this.config.secretKey, secret)],
    );
    return {
      id: rows[0].id,
      url,
      rules,
      createdAt: rows[0].created_at.toISOString(),
      lastDelivery: null,
      secret,
    };
  }

  async list(principal: Principal, id: CustomerId): Promise<AlertSubscriptionView[]> {
    await this.assertCustomer(principal, id);
    const rows: Array<{
      id: string;
      url: string;
      rules: AlertRule[];
      created_at: Date;
      event: string | null;
      alert_key: string | null;
      status: string | null;
      attempts: number | null;
      last_status_code: number | null;
      last_error: string | null;
      d_at: Date | null;
    }> = await this.db.query(
      `SELECT s.id, s.url, s.rules, s.created_at, d.event, d.alert_key, d.status, d.attempts,
              d.last_status_code, d.last_error, COALESCE(d.delivered_at, d.created_at) AS d_at
       FROM alert_subscriptions s
       LEFT JOIN LATERAL (SELECT * FROM alert_deliveries x WHERE x.subscription_id = s.id
                          ORDER BY x.created_at DESC LIMIT 1) d ON true
       WHERE s.customer_id = $1 ORDER BY s.created_at, s.id`,
      [id],
    );
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      rules: r.rules,
      createdAt: r.created_at.toISOString(),
      lastDelivery:
        r.status === null
          ? null
          : {
              event: r.event ?? '',
              alert: r.alert_key ?? '',
              status: r.status,
              attempts: r.attempts ?? 0,
              lastStatusCode: r.last_status_code,
              lastError: r.last_error,
              at: (r.d_at ?? r.created_at).toISOString(),
            },
    }));
  }

  async remove(principal: Principal, id: CustomerId, subscriptionId: string): Promise<void> {
    await this.assertCustomer(principal, id);
    const notFound = new ControlError(
      'not_found',
      `alert subscription "${subscriptionId}" not found`,
    );
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(subscriptionId))
      throw notFound;
    const result: unknown = await this.db.query(
      `DELETE FROM alert_subscriptions WHERE id = $1 AND customer_id = $2`,
      [subscriptionId, id],
    );
    const affected = Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
    if (affected === 0) throw notFound;
  }

  private checkUrl(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BadRequestException('url must be an absolute http or https URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new BadRequestException('url must be an http or https URL');
    }
    if (url.username || url.password)
      throw new BadRequestException('url must not carry credentials');
    // A literal address is judged now; a host name is resolved and judged at each delivery.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = refusedAddress(host, {
      allowLoopback: this.config.allowLoopbackTargets,
      allowPrivate: this.config.allowPrivateTargets,
    });
    if (literal && !literal.endsWith('is not an IP address')) {
      throw new BadRequestException(`url refused: ${literal}`);
    }
    return url.toString();
  }

  private checkRules(rules: AlertRule[]): AlertRule[] {
    if (!Array.isArray(rules) || rules.length === 0 || rules.length > 20) {
      throw new BadRequestException('rules must be a list of 1 to 20 rules');
    }
    for (const rule of rules) {
      const definition = typeof rule?.type === 'string' ? alertRule(rule.type) : undefined;
      if (!definition) {
        throw new BadRequestException(`rule type must be one of ${alertRuleTypes().join(', ')}`);
      }
      const problem = definition.validate(rule);
      if (problem) throw new BadRequestException(problem);
    }
    return rules;
  }
}
