import { KafkaOperationError } from '@logstream/kafka';
import { databaseTrouble } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import { desiredState } from './desired-state.rules';
import type { Logger } from '@logstream/observability';
import type { ProvisioningRepository } from './provisioning.repository';
import type { CustomerTopicConfig } from '@logstream/config';
import {
  runStep,
  type StepDeps,
  type StepName,
  STEP_CHAINS,
  SupersededError,
} from './reconcile.steps';

export type ReconcileOutcome =
  /** Kafka matches the desired state and the state was reported. */
  | { kind: 'converged'; ms: number }
  /** The customer row is gone: nothing to do. */
  | { kind: 'gone' }
  /** The customer changed meanwhile; a newer reconcile is due. */
  | { kind: 'superseded' }
  /** A retriable failure outlasted the step retries: try again later. */
  | { kind: 'retry'; error: string }
  /** A failure a person must look at; reported as `failed`, retried on the next resync. */
  | { kind: 'failed'; error: string };

export interface ReconcilerOptions {
  topic: CustomerTopicConfig;
  /** Attempts per step for retriable Kafka errors, with exponential backoff between them. */
  stepAttempts: number;
  backoffMs: number;
  /** Called after each completed step; the crash-injection hook of the fault tests. */
  afterStep?: (step: StepName, customerId: CustomerId) => void;
}

/**
 * Reconciles one customer: reads its desired state, computes where Kafka must be, and runs the
 * phase's chain of named, idempotent steps (see {@link STEP_CHAINS}).
 */
export class Reconciler {
  constructor(
    private readonly store: Pick<
      ProvisioningRepository,
      'loadDesired' | 'report' | 'reportFailure' | 'deleteCustomer'
    >,
    private readonly deps: Omit<StepDeps, 'store'>,
    private readonly options: ReconcilerOptions,
    private readonly log: Logger,
  ) {}

  async reconcile(customerId: CustomerId): Promise<ReconcileOutcome> {
    const started = Date.now();
    const input = await this.store.loadDesired(customerId);
    if (!input) return { kind: 'gone' };
    const desired = desiredState(input, this.options.topic, new Date());
    const log = this.log.child({
      customer: customerId,
      generation: desired.generation,
      phase: desired.phase,
    });
    const deps: StepDeps = { ...this.deps, store: this.store };
    for (const step of STEP_CHAINS[desired.phase]) {
      const stepLog = log.child({ step });
      const stepStarted = Date.now();
      try {
        await this.withRetries(() => runStep(step, { desired, log: stepLog }, deps), stepLog);
      } catch (err) {
        return this.failure(err, step, desired.customerId, desired.generation, stepLog);
      }
      stepLog.log('debug', 'step done', { ms: Date.now() - stepStarted });
      this.options.afterStep?.(step, customerId);
    }
    const ms = Date.now() - started;
    log.log('info', 'reconciled', { ms });
    return { kind: 'converged', ms };
  }

  private async withRetries(fn: () => Promise<void>, log: Logger): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const retriable =
          (err instanceof KafkaOperationError && err.retriable) ||
          databaseTrouble(err) !== undefined;
        if (!retriable || attempt >= this.options.stepAttempts) throw err;
        const delay = this.options.backoffMs * 2 ** (attempt - 1);
        const error = err instanceof Error ? err.message : String(err);
        log.log('warn', 'retriable failure, backing off', { attempt, delayMs: delay, error });
        await this.deps.sleep(delay);
      }
    }
  }

  private async failure(
    err: unknown,
    step: StepName,
    customerId: CustomerId,
    generation: number,
    log: Logger,
  ): Promise<ReconcileOutcome> {
    if (err instanceof SupersededError) {
      log.log('info', 'superseded by a newer generation');
      return { kind: 'superseded' };
    }
    const message = `${step}: ${err instanceof Error ? err.message : String(err)}`;
    if (
      (err instanceof KafkaOperationError && err.retriable) ||
      databaseTrouble(err) !== undefined
    ) {
      log.log('warn', 'retriable failure persists; will retry', { error: message });
      return { kind: 'retry', error: message };
    }
    log.log('error', 'reconcile failed', { error: message });
    // Reporting may fail too (database down); the next resync retries the whole chain anyway.
    await this.store.reportFailure(customerId, generation, message).catch(() => false);
    return { kind: 'failed', error: message };
  }
}
