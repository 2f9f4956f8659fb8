import type { KafkaAdminService } from '@logstream/kafka';
import { registryTopicSpec, type TenantRegistryWriter } from '@logstream/registry';
import { type CustomerId, isCustomerId } from '@logstream/tenancy';
import { findDrift } from './drift.rules';
import type { LeaderLock } from './leader-lock.service';
import type { ProvisionerMetrics } from './provisioner.metrics';
import type { Logger } from './provisioning.logger';
import type { ProvisioningRepository } from './provisioning.repository';
import type { TopicSettings } from './provisioning.types';
import { ReconcileListener } from './reconcile.listener';
import { ReconcileQueue } from './reconcile.queue';
import { currentCustomerAcls } from './reconcile.steps';
import type { Reconciler } from './reconciler.service';

export interface ProvisionerOptions {
  databaseUrl: string;
  concurrency: number;
  resyncIntervalMs: number;
  retryDelayMs: number;
  topic: TopicSettings;
  registryReplicationFactor: number;
}

export interface ProvisionerStatus {
  leader: boolean;
  queueDepth: number;
  inFlight: number;
  lastResyncAt: string | null;
}

/**
 * The provisioner's loop: wait for leadership, prepare the platform's own Kafka state, then
 * reconcile every customer once and keep following notifications and periodic resyncs.
 */
export class ProvisionerService {
  private readonly queue: ReconcileQueue;
  private listener: ReconcileListener | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private leader = false;
  private lastResyncAt: Date | null = null;

  constructor(
    private readonly admin: KafkaAdminService,
    private readonly registry: TenantRegistryWriter,
    private readonly repo: ProvisioningRepository,
    private readonly reconciler: Reconciler,
    private readonly lock: LeaderLock,
    private readonly metrics: ProvisionerMetrics,
    private readonly log: Logger,
    private readonly options: ProvisionerOptions,
  ) {
    this.queue = new ReconcileQueue(options.concurrency, (id) => this.reconcileOne(id));
  }

  status(): ProvisionerStatus {
    return {
      leader: this.leader,
      queueDepth: this.queue.depth,
      inFlight: this.queue.inFlight,
      lastResyncAt: this.lastResyncAt?.toISOString() ?? null,
    };
  }

  /**
   * Runs until {@link stop}. `onLeadershipLost` is called if the lock is lost while working;
   * the caller must then stop this process, since another instance may already be working.
   */
  async run(onLeadershipLost: (reason: string) => void): Promise<void> {
    this.lock.onLost(onLeadershipLost);
    if (!(await this.lock.acquire(() => this.stopping))) return;
    this.leader = true;
    this.metrics.leader.set(1);
    await this.admin.connect();
    await this.registry.connect();
    const created = await this.admin.ensureTopic(
      registryTopicSpec(this.options.registryReplicationFactor),
    );
    if (created) this.log.log('info', 'tenant registry topic created');
    this.listener = new ReconcileListener(
      this.options.databaseUrl,
      this.log,
      (payload) => {
        if (isCustomerId(payload)) this.enqueue(payload);
      },
      () => void this.resync('after reconnect'),
    );
    await this.listener.start();
    // On taking over, every customer is reconciled once: whatever the previous leader left
    // half-done converges, and the registry is rewritten for edge nodes that missed a record.
    await this.reconcileAll();
    this.resyncTimer = setInterval(
      () => void this.resync('periodic'),
      this.options.resyncIntervalMs,
    );
    this.resyncTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.listener?.stop();
    await this.queue.stop();
    await this.registry.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    await this.lock.release();
    this.leader = false;
    this.metrics.leader.set(0);
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
      const [inputs, topics, acls] = await Promise.all([
        this.repo.loadAllDesired(),
        this.admin.listTopics(),
        this.admin.describeAcls(),
      ]);
      const drift = findDrift(
        inputs,
        { topics: new Set(topics), acls },
        this.options.topic,
        new Date(),
      );
      for (const id of drift.drifted) this.enqueue(id);
      for (const id of drift.orphans) await this.removeOrphanAcls(id);
      this.lastResyncAt = new Date();
      this.metrics.resyncs.inc({ kind: 'run' });
      this.metrics.resyncs.inc({ kind: 'drifted' }, drift.drifted.length);
      const fields = {
        reason,
        customers: inputs.length,
        drifted: drift.drifted.length,
        orphans: drift.orphans.length,
      };
      this.log.log(
        drift.drifted.length + drift.orphans.length > 0 ? 'info' : 'debug',
        'resync',
        fields,
      );
    } catch (err) {
      this.log.log('warn', 'resync failed; the next one retries', {
        reason,
        error: err instanceof Error ? err.message : String(err),
      });
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

  /** ACLs left on the resources of a customer that no longer exists grant nobody anything. */
  private async removeOrphanAcls(id: CustomerId): Promise<void> {
    const leftovers = await currentCustomerAcls(this.admin, id);
    await this.admin.deleteAcls(leftovers);
    this.log.log('warn', 'removed ACLs of a customer that no longer exists', {
      customer: id,
      acls: leftovers.length,
    });
  }
}
