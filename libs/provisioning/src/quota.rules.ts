import type { QuotaDefaults } from '@logstream/config';
import {
  CONSUMER_BYTE_RATE,
  REQUEST_PERCENTAGE,
  type UserQuota,
  type UserQuotaChange,
} from '@logstream/kafka';
import { CUSTOMER_PRINCIPAL_PREFIX, type CustomerId } from '@logstream/tenancy';
import type { CustomerDesiredInput } from './provisioning.types';

/**
 * The broker's user quota entity of a customer: `customer.<id>`, the prefix of all its
 * credentials' principals, which the quota callback (infra/kafka-quota) maps them to, so all
 * of them share one quota.
 */
export function customerQuotaUser(id: CustomerId): string {
  return `${CUSTOMER_PRINCIPAL_PREFIX}${id}`;
}

/** Whether the platform owns this user entity: the default one, or a customer's. */
export function isManagedQuotaUser(user: string | null): boolean {
  return user === null || user.startsWith(CUSTOMER_PRINCIPAL_PREFIX);
}

/** The broker's default user entity: what a customer without its own quotas gets. */
export function defaultUserQuota(defaults: QuotaDefaults): UserQuota {
  return {
    user: null,
    values: {
      [CONSUMER_BYTE_RATE]: defaults.consumerByteRate,
      [REQUEST_PERCENTAGE]: defaults.requestPercentage,
    },
  };
}

/**
 * The customer's entity: only what it overrides (the callback falls back to the default user
 * entity key by key), nothing once its deletion is requested (then the entity goes).
 */
export function customerUserQuota(
  input: Pick<CustomerDesiredInput, 'customerId' | 'quota' | 'deletionRequested'>,
): UserQuota {
  const values: Record<string, number> = {};
  if (!input.deletionRequested) {
    if (input.quota.consumerByteRate !== null) {
      values[CONSUMER_BYTE_RATE] = input.quota.consumerByteRate;
    }
    if (input.quota.requestPercentage !== null) {
      values[REQUEST_PERCENTAGE] = input.quota.requestPercentage;
    }
  }
  return { user: customerQuotaUser(input.customerId), values };
}

/** Every quota entity the broker must hold: the default, and each customer that has its own. */
export function desiredQuotas(
  inputs: readonly CustomerDesiredInput[],
  defaults: QuotaDefaults,
): UserQuota[] {
  const customers = inputs.map(customerUserQuota).filter((q) => Object.keys(q.values).length > 0);
  return [defaultUserQuota(defaults), ...customers];
}

/**
 * What to change so the managed entities of `current` (see {@link isManagedQuotaUser}) become
 * `desired`: keys set where missing or different, keys removed where not desired (a managed
 * entity nobody wants loses all of them, which deletes it). Other entities are left alone.
 */
export function diffQuotas(
  current: readonly UserQuota[],
  desired: readonly UserQuota[],
): UserQuotaChange[] {
  const key = (user: string | null) => user ?? '';
  const have = new Map(
    current.filter((q) => isManagedQuotaUser(q.user)).map((q) => [key(q.user), q]),
  );
  const want = new Map(desired.map((q) => [key(q.user), q]));
  const changes: UserQuotaChange[] = [];
  for (const [k, q] of want) {
    const old = have.get(k)?.values ?? {};
    const set = Object.fromEntries(Object.entries(q.values).filter(([n, v]) => old[n] !== v));
    const remove = Object.keys(old).filter((n) => !(n in q.values));
    if (Object.keys(set).length + remove.length > 0) changes.push({ user: q.user, set, remove });
  }
  for (const [k, q] of have) {
    if (!want.has(k) && Object.keys(q.values).length > 0) {
      changes.push({ user: q.user, set: {}, remove: Object.keys(q.values) });
    }
  }
  return changes;
}
