import {
  type AclBinding,
  type ClientQuotasService,
  type KafkaAdminService,
  KafkaOperationError,
} from '@logstream/kafka';
import type { PROVISIONER_STEPS } from '@logstream/config';
import type { TenantRegistryWriter } from './tenant-registry.writer';
import {
  consumerGroupPrefix,
  customerStatsTopic,
  customerTopic,
  type CustomerId,
} from '@logstream/tenancy';
import { diffAcls } from './desired-state.rules';
import { customerQuotaUser, diffQuotas } from './quota.rules';
import type { ProvisioningRepository } from './provisioning.repository';
import type { Logger } from '@logstream/observability';
import type { CustomerPhase, DesiredCustomerState } from './provisioning.types';

/** The steps are named once, in the configuration (its crash hook names one). */
export type StepName = (typeof PROVISIONER_STEPS)[number];

/**
 * The order of the steps for each phase. Every step is idempotent, so a chain cut anywhere
 * (crash, failover) converges when it runs again from the start.
 * - enabled: access is granted before the registry tells edge nodes to route, and confirmed
 *   before the customer is told it is active.
 * - disabled / deleted: the registry goes first, so edge nodes stop routing before access goes.
 */
export const STEP_CHAINS: Record<CustomerPhase, readonly StepName[]> = {
  enabled: [
    'ensure-topic',
    'sync-acls',
    'publish-registry',
    'confirm-acls',
    'sync-quota',
    'report',
  ],
  disabled: ['publish-registry', 'sync-acls', 'confirm-acls', 'sync-quota', 'report'],
  deleted: [
    'publish-registry',
    'sync-acls',
    'confirm-acls',
    'sync-quota',
    'delete-topic',
    'tombstone-registry',
    'delete-customer',
  ],
};

export interface StepDeps {
  admin: Pick<
    KafkaAdminService,
    | 'ensureTopic'
    | 'ensureTopicConfigs'
    | 'describeAcls'
    | 'createAcls'
    | 'deleteAcls'
    | 'deleteTopic'
  >;
  registry: Pick<TenantRegistryWriter, 'publish' | 'tombstone'>;
  quotas: Pick<ClientQuotasService, 'describeUsers' | 'alter'>;
  store: Pick<ProvisioningRepository, 'report' | 'deleteCustomer'>;
  /** How long ACL changes may take to show before `confirm-acls` gives up (retriable). */
  aclConfirmTimeoutMs: number;
  /** Operators' principals: their ACLs on customer resources are theirs, never removed. */
  operatorPrincipals?: ReadonlySet<string>;
  sleep: (ms: number) => Promise<void>;
}

export interface StepContext {
  desired: DesiredCustomerState;
  log: Logger;
}

/** Desired state the provisioner refuses to carry out (not retried: a person must look). */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** A step found the customer changed under it: stop the chain, a newer reconcile follows. */
export class SupersededError extends Error {
  constructor(customerId: CustomerId, generation: number) {
    super(`customer ${customerId} changed after generation ${generation}`);
    this.name = 'SupersededError';
  }
}

/**
 * Every ACL on the customer's own resources (topics, group prefix), whoever holds it, DENY and
 * host-specific ones included; operators' ones left out (`operators`) since they stay.
 */
export async function currentCustomerAcls(
  admin: StepDeps['admin'],
  id: CustomerId,
  operators: ReadonlySet<string> = new Set(),
): Promise<AclBinding[]> {
  const [onTopic, onStats, onGroups] = await Promise.all([
    admin.describeAcls({ resource: 'topic', name: customerTopic(id), pattern: 'literal' }),
    admin.describeAcls({ resource: 'topic', name: customerStatsTopic(id), pattern: 'literal' }),
    admin.describeAcls({ resource: 'group', name: consumerGroupPrefix(id), pattern: 'prefixed' }),
  ]);
  return [...onTopic, ...onStats, ...onGroups].filter((acl) => !operators.has(acl.principal));
}

export async function runStep(step: StepName, ctx: StepContext, deps: StepDeps): Promise<void> {
  const { desired, log } = ctx;
  switch (step) {
    case 'ensure-topic': {
      for (const topic of [desired.topic, desired.statsTopic]) {
        const created = await deps.admin.ensureTopic(topic);
        const reconfigured = created
          ? false
          : await deps.admin.ensureTopicConfigs(topic.name, topic.configs);
        if (created || reconfigured)
          log.log('info', created ? 'topic created' : 'topic configs repaired', {
            topic: topic.name,
          });
      }
      return;
    }
    case 'sync-acls': {
      const diff = diffAcls(
        await currentCustomerAcls(deps.admin, desired.customerId, deps.operatorPrincipals),
        desired.acls,
      );
      await deps.admin.createAcls(diff.create);
      await deps.admin.deleteAcls(diff.remove);
      if (diff.create.length + diff.remove.length > 0) {
        log.log('info', 'ACLs synced', {
          created: diff.create.length,
          removed: diff.remove.length,
        });
      }
      // The others are synced (a refused one holds nothing); the customer is reported failed.
      if (desired.refusedCredentials.length > 0) {
        throw new RefusedError(desired.refusedCredentials.join('; '));
      }
      return;
    }
    case 'publish-registry':
      await deps.registry.publish(desired.registry);
      return;
    case 'sync-quota': {
      // The customer's own entity only (the default is the resync's): set to its overrides,
      // removed when it has none or is being deleted.
      const changes = diffQuotas(
        await deps.quotas.describeUsers({ user: customerQuotaUser(desired.customerId) }),
        [desired.quota],
      );
      await deps.quotas.alter(changes);
      for (const change of changes) {
        log.log('info', 'customer quota synced', { user: change.user, ...quotaFields(change) });
      }
      return;
    }
    case 'confirm-acls':
      await confirmAcls(ctx, deps);
      return;
    case 'report': {
      const state = desired.phase === 'enabled' ? 'active' : 'disabled';
      if (
        !(await deps.store.report(desired.customerId, desired.generation, {
          state,
          lastError: null,
        }))
      ) {
        throw new SupersededError(desired.customerId, desired.generation);
      }
      log.log('info', `streaming ${state}`);
      return;
    }
    case 'delete-topic':
      await deps.admin.deleteTopic(desired.topic.name);
      await deps.admin.deleteTopic(desired.statsTopic.name);
      return;
    case 'tombstone-registry':
      await deps.registry.tombstone(desired.customerId);
      return;
    case 'delete-customer':
      if (!(await deps.store.deleteCustomer(desired.customerId, desired.generation))) {
        throw new SupersededError(desired.customerId, desired.generation);
      }
      log.log('info', 'customer deprovisioned and deleted');
      return;
  }
}

/** ACL changes reach brokers with a short delay: poll until the broker shows exactly the desired set. */
async function confirmAcls(ctx: StepContext, deps: StepDeps): Promise<void> {
  const deadline = Date.now() + deps.aclConfirmTimeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    const diff = diffAcls(
      await currentCustomerAcls(deps.admin, ctx.desired.customerId, deps.operatorPrincipals),
      ctx.desired.acls,
    );
    if (diff.create.length === 0 && diff.remove.length === 0) return;
    if (Date.now() > deadline) {
      throw new KafkaOperationError(
        'confirm ACLs',
        `${diff.create.length} ACL(s) still missing and ${diff.remove.length} still present after ${deps.aclConfirmTimeoutMs} ms`,
        true,
      );
    }
    await deps.sleep(delay);
  }
}

/** A quota change as log fields: the keys set with their values, the keys removed. */
export function quotaFields(change: {
  set: Readonly<Record<string, number>>;
  remove: readonly string[];
}): Record<string, string | number> {
  return {
    ...change.set,
    ...(change.remove.length > 0 ? { removed: change.remove.join(',') } : {}),
  };
}
