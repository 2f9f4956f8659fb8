import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AclBinding,
  type ClientQuotasService,
  type KafkaAdminService,
  type UserQuotaChange,
} from '@logstream/kafka';
import { edgeStatsTopicSpec, registryTopicSpec } from '@logstream/registry';
import type { Kafka } from 'kafkajs';
import { readRegistryGenerations } from './tenant-registry.reader';
import type { TenantRegistryWriter } from './tenant-registry.writer';
import { type CustomerId, isCustomerId } from '@logstream/tenancy';
import { EDGE_NODES_CHANGED } from '@logstream/persistence';
import { desiredEdgePrincipals } from './edge-acls.rules';
import { diffAcls } from './desired-state.rules';
import { findDrift, platformAcls } from './drift.rules';
import type { LeaderLock } from './leader-lock.service';
import type { ProvisionerMetrics } from './provisioner.metrics';
import type { Logger } from '@logstream/observability';
import type { ProvisioningRepository } from './provisioning.repository';
import type { CustomerTopicConfig, QuotaDefaults } from '@logstream/config';
import { desiredQuotas, diffQuotas } from './quota.rules';
import { quotaFields } from './reconcile.steps';
import { ReconcileListener } from './reconcile.listener';
import { ReconcileQueue } from './reconcile.queue';
import type { Reconciler } from './reconciler.service';

export interface ProvisionerOptions {
  databaseUrl: string;
  concurrency: number;
  resyncIntervalMs: number;
  retryDelayMs: number;
  topic: CustomerTopicConfig;
  registryReplicationFactor: number;
  edgePrincipals: readonly string[];
  /** Health collectors' principals: READ on the edge stats (and their group). */
  healthPrincipals?: readonly string[];
  /** Principals whose ACLs drift repair never removes (operators, the platform's own apps). */
  operatorPrincipals: readonly string[];
  /** Client quotas of customers without their own: the broker's default user entity. */
  quota: QuotaDefaults;
}

export interface ProvisionerStatus {
  leader: boolean;
  queueDepth: number;
  inFlight: number;
  lastResyncAt: string | null;
}

/**
 * The provisioner's loop: wait for leadership, prepare the platform's own Kafka state, then
 * reconcile every customer once and keep following notifications and periodic resyncs. When
 * the leader lock is lost (say the database went away), all work stops at once and the
 * instance stands by again, so two instances never work at the same time.
 */
export class ProvisionerService {
  private queue: ReconcileQueue;
  private listener: ReconcileListener | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private leader = false;
  private lastResyncAt: Date | null = null;
  private stopRequested: () => void = () => undefined;
  private readonly stopSignal = new Promise<void>((resolve) => (this.stopRequested = resolve));
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly admin: KafkaAdminService,
    private readonly registry: TenantRegistryWriter,
    private readonly quotas: Pick<ClientQuotasService, 'describeUsers' | 'alter' | 'disconnect'>,
    private readonly repo: ProvisioningRepository,
    private readonly reconciler: Reconciler,
    private readonly lock: LeaderLock,
    private readonly metrics: ProvisionerMetrics,
    private readonly log: Logger,
    private readonly options: ProvisionerOptions,
    /** The Kafka client that reads the registry on takeover (unset: no comparison, unit tests). */
    private readonly registryKafka?: Kafka,
  ) {
    this.queue = this.newQueue();
  }

  status(): ProvisionerStatus {
    return {
      leader: this.leader,
      queueDepth: this.queue.depth,
      inFlight: this.queue.inFlight,
      lastResyncAt: this.lastResyncAt?.toISOString() ?? null,
    };
  }

  /** Runs until {@link stop}: leadership terms, with standby in between. */
  run(): Promise<void> {
    this.running = this.loop();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopRequested();
    await this.running.catch(() => undefined);
    await this.registry.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    this.quotas.disconnect();
    await this.lock.release();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (!(await this.lock.acquire(() => this.stopping))) return;
      const lost = new Promise<string>((resolve) => this.lock.onLost(resolve));
      const reason = await this.lead(lost);
      if (reason !== undefined) {
        this.log.log('warn', 'leadership lost; work stopped, standing by', { reason });
      }
    }
  }

  /** One leadership term; returns why it ended (undefined when stopping). */
  private async lead(lost: Promise<string>): Promise<string | undefined> {
    let lostReason: string | undefined;
    void lost.then((r) => (lostReason = r));
    const ended = () => this.stopping || lostReason !== undefined;
    this.queue = this.newQueue();
    this.leader = true;
    this.metrics.leader.set(1);
    try {
      if (!(await this.prepare(ended))) return lostReason;
      this.listener = new ReconcileListener(
        this.options.databaseUrl,
        this.log,
        (payload) => {
          if (isCustomerId(payload)) this.enqueue(payload);
          // An enrollment or a revocation: the edge grants follow now, not a resync later.
          else if (payload === EDGE_NODES_CHANGED) void this.resync('edge nodes changed');
        },
        () => void this.resync('after reconnect'),
      );
      await this.listener.start();
      // In the background, so reading the registry never delays taking over: records published
      // meanwhile at a restored, older generation are ignored by edge nodes, and the comparison
      // takes the highest generation in the log, so the raised one's record follows and wins.
      void this.catchUpWithRegistry(ended);
      // On taking over, every customer is reconciled once: whatever the previous leader left
      // half-done converges, and the registry is rewritten for edge nodes that missed a record.
      await this.reconcileAll().catch((err: unknown) =>
        this.log.log('warn', 'could not list customers; the next resync retries', {
          error: message(err),
        }),
      );
      // And every grant nobody should hold goes now, not one resync interval later.
      await this.resync('takeover');

      this.resyncTimer = setInterval(
        () => void this.resync('periodic'),
        this.options.resyncIntervalMs,
      );
      this.resyncTimer.unref();
      await Promise.race([lost, this.stopSignal]);
      return lostReason;
    } finally {
      this.leader = false;
      this.metrics.leader.set(0);
      if (this.resyncTimer) clearInterval(this.resyncTimer);
      await this.listener?.stop();
      this.listener = undefined;
      await this.queue.stop();
    }
  }

  /** The platform's own Kafka state, retried until it works or the term ends. */
  private async prepare(ended: () => boolean): Promise<boolean> {
    for (let delay = 500; !ended(); delay = Math.min(delay * 2, 10_000)) {
      try {
        await this.admin.connect();
        await this.registry.connect();
        const spec = registryTopicSpec(this.options.registryReplicationFactor);
        if (await this.admin.ensureTopic(spec)) {
          this.log.log('info', 'tenant registry topic created');
        }
        if (
          await this.admin.ensureTopic(edgeStatsTopicSpec(this.options.registryReplicationFactor))
        ) {
          this.log.log('info', 'edge stats topic created');
        }
        // Creating an ACL that exists changes nothing, so this is safe on every takeover.
        await this.admin.createAcls(
          platformAcls({
            edgePrincipals: this.options.edgePrincipals,
            healthPrincipals: this.options.healthPrincipals,
          }),
        );
        return true;
      } catch (err) {
        this.log.log('warn', 'cannot prepare Kafka yet; retrying', {
          error: message(err),
          retryInMs: delay,
        });
        await sleep(delay);
      }
    }
    return false;
  }

  /**
   * A restored database can be behind the registry; edge nodes would ignore its older
   * generations as stale. Generations below the registry's are raised above it (and those
   * customers reconciled again).
   */
  private async catchUpWithRegistry(ended: () => boolean): Promise<void> {
    if (!this.registryKafka) return;
    try {
      const held = await readRegistryGenerations(this.registryKafka, 20_000);
      if (ended()) return;
      const raised = await this.repo.raiseGenerationsAbove(held);
      for (const id of raised) this.enqueue(id);
      if (raised.length > 0) {
        this.log.log('warn', 'database generations were behind the registry; raised above it', {
          customers: raised.length,
          sample: raised.slice(0, 10).join(','),
        });
      }
    } catch (err) {
      this.log.log('warn', 'could not compare generations with the registry', {
        error: message(err),
      });
    }
  }

  private newQueue(): ReconcileQueue {
    return new ReconcileQueue(this.options.concurrency, (id) => this.reconcileOne(id));
  }

  /** Resolves when no reconcile is pending or running (tests and benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async reconcileAll(): Promise<number> {
    const all = await this.repo.loadAllDesired();
    for (const input of all) this.enqueue(input.customerId);
    this.log.log('info', 'reconciling every customer', { customers: all.length });
    return all.length;
  }

  /** Finds customers whose Kafka state drifted (or never settled) and reconciles only those. */
  async resync(reason: string): Promise<void> {
    if (this.stopping || !this.leader) return;
    try {
      // Kafka first, the database second: an ACL in the snapshot was granted for a row that
      // the later read sees too, so a credential issued meanwhile never looks undesired.
      const [topics, acls, quotas] = await Promise.all([
        this.admin.listTopics(),
        this.admin.describeAcls(),
        this.quotas.describeUsers(),
      ]);
      const inputs = await this.repo.loadAllDesired();
      const now = new Date();
      const edge = desiredEdgePrincipals(
        this.options.edgePrincipals,
        await this.repo.loadLiveEdgeNodes(),
        now,
      );
      for (const problem of edge.refused) {
        this.log.log('error', 'edge node refused', { reason, step: 'load-edge-nodes', problem });
      }
      const policy = {
        edgePrincipals: edge.principals,
        healthPrincipals: this.options.healthPrincipals,
        operatorPrincipals: new Set(this.options.operatorPrincipals),
      };
      const drift = findDrift(
        inputs,
        { topics: new Set(topics), acls },
        this.options.topic,
        now,
        policy,
      );
      const grants = diffAcls(acls, platformAcls(policy)).create;
      if (grants.length > 0) await this.grantEdgeAcls(grants, reason);
      for (const id of drift.drifted) this.enqueue(id);
      if (drift.undesired.length > 0) await this.removeUndesiredAcls(drift.undesired, reason);
      const quotaChanges = diffQuotas(quotas, desiredQuotas(inputs, this.options.quota));
      if (quotaChanges.length > 0) await this.syncQuotas(quotaChanges, reason);
      this.lastResyncAt = new Date();
      this.metrics.resyncs.inc({ kind: 'run' });
      this.metrics.resyncs.inc({ kind: 'drifted' }, drift.drifted.length);
      const fields = {
        reason,
        customers: inputs.length,
        drifted: drift.drifted.length,
        undesiredAcls: drift.undesired.length,
        edgePrincipals: edge.principals.length,
        edgeGrants: grants.length,
        quotaChanges: quotaChanges.length,
      };
      this.log.log(
        drift.drifted.length + drift.undesired.length + grants.length + quotaChanges.length > 0
          ? 'info'
          : 'debug',
        'resync',
        fields,
      );
    } catch (err) {
      this.log.log('warn', 'resync failed; the next one retries', { reason, error: message(err) });
    }
  }

  private enqueue(id: CustomerId): void {
    this.queue.enqueue(id);
    this.metrics.queueDepth.set(this.queue.depth);
  }

  private async reconcileOne(id: CustomerId): Promise<void> {
    this.metrics.inFlight.set(this.queue.inFlight);
    const end = this.metrics.reconcileSeconds.startTimer();
    const outcome = await this.reconciler.reconcile(id).catch((err: unknown) => ({
      kind: 'retry' as const,
      error: err instanceof Error ? err.message : String(err),
    }));
    end();
    this.metrics.reconciles.inc({ outcome: outcome.kind });
    if (outcome.kind === 'retry') this.queue.enqueueLater(id, this.options.retryDelayMs);
    if (outcome.kind === 'superseded') this.queue.enqueue(id);
    this.metrics.queueDepth.set(this.queue.depth);
  }

  /**
   * Step `grant-edge-acls`: the grants of desired edge principals (a node just enrolled, a
   * grant deleted by hand) and of the health collectors that Kafka lacks. Creating an existing ACL changes
   * nothing, so repeating the step is safe.
   */
  private async grantEdgeAcls(acls: readonly AclBinding[], reason: string): Promise<void> {
    await this.admin.createAcls(acls);
    for (const acl of acls) {
      this.log.log('info', 'granted a platform ACL', {
        reason,
        step: 'grant-edge-acls',
        ...acl,
      });
    }
  }

  /**
   * Step `sync-quotas`: the default user entity set to the configured defaults, each customer's
   * entity to its overrides, and every `customer.*` entity nobody wants (a customer deleted
   * meanwhile, one set by hand) removed. Setting a quota to its value changes nothing.
   */
  private async syncQuotas(changes: readonly UserQuotaChange[], reason: string): Promise<void> {
    await this.quotas.alter(changes);
    for (const change of changes) {
      this.log.log('info', 'client quota synced', {
        reason,
        step: 'sync-quotas',
        user: change.user ?? '<default>',
        ...quotaFields(change),
      });
    }
  }

  /**
   * Step `remove-undesired-acls`: grants nobody should hold (see `undesiredAcls`; a revoked
   * edge node's among them), removed, each one logged. Deleting a missing ACL is a no-op.
   */
  private async removeUndesiredAcls(acls: readonly AclBinding[], reason: string): Promise<void> {
    await this.admin.deleteAcls(acls);
    for (const acl of acls) {
      this.log.log('warn', 'removed an ACL nobody should hold', {
        reason,
        step: 'remove-undesired-acls',
        ...acl,
      });
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
