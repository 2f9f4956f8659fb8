import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ArchiverConfig } from '@logstream/config';
import type { Logger } from '@logstream/observability';
import { ArchiveRepository, type CustomerArchiveEntity } from '@logstream/persistence';
import { customerTopic, parseCustomerId } from '@logstream/tenancy';
import { ArchiveConsumer } from './archive-consumer.service';
import { archiveState } from './archive-status.rules';
import type { ArchiverMetrics } from './archiver.metrics';
import { ChallengeWriter } from './challenge-writer.service';
import { ObjectStore } from './object-store.service';
import type { ActiveArchive } from './partition-worker.service';
import { openSecret, secretContext } from './secret-box.rules';

/**
 * The archiver's control loop: reads which customers have a proved archive and stream now,
 * keeps one consumer group run over exactly their topics (a new run when the set changes),
 * writes challenge objects for unproved destinations and each customer's status row.
 */
export class ArchiverService {
  private readonly repo: ArchiveRepository;
  private readonly active = new Map<string, ActiveArchive>();
  private readonly changes = new EventEmitter();
  private consumer: ArchiveConsumer | undefined;
  private topics: string[] = [];
  private restartWanted: string | undefined;
  private readonly challenges: ChallengeWriter;
  private stopped = false;
  private readonly reported = new Map<string, string>();
  private aligning: Promise<void> | undefined;
  ready = false;

  constructor(
    db: DataSource,
    private readonly kafka: Kafka,
    private readonly config: ArchiverConfig,
    private readonly metrics: ArchiverMetrics,
    private readonly log: Logger,
  ) {
    this.repo = new ArchiveRepository(db.manager);
    this.changes.setMaxListeners(0);
    this.challenges = new ChallengeWriter(this.repo, config, log);
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let nextStatus = 0;
    while (!signal.aborted) {
      try {
        const rows = await this.repo.listWithCustomers();
        this.applySettings(rows);
        await this.challenges.writePending(rows.map((r) => r.archive));
        // A consumer (re)start waits for the group join, seconds on a busy broker; the settings
        // must stay fresh meanwhile (a deleted archive stops uploading at once).
        this.aligning ??= this.alignConsumer()
          .catch((err: unknown) =>
            this.log.error('archive consumer start failed; retrying', {
              error: err instanceof Error ? err.message : String(err),
            }),
          )
          .finally(() => {
            this.aligning = undefined;
          });
        if (Date.now() >= nextStatus) {
          await this.writeStatus();
          nextStatus = Date.now() + this.config.statusIntervalMs;
        }
        this.ready = true;
      } catch (err) {
        this.log.error('archiver loop failed; retrying', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      await sleep(Math.min(this.config.refreshMs, this.config.statusIntervalMs), undefined, {
        signal,
      }).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.changes.emit('any');
    await this.aligning;
    await this.consumer?.stop().catch(() => undefined);
    this.consumer = undefined;
    for (const a of this.active.values()) a.store.close();
  }

  private applySettings(rows: Array<{ archive: CustomerArchiveEntity; streaming: boolean }>): void {
    const seen = new Set<string>();
    for (const { archive, streaming } of rows) {
      if (!streaming || archive.verifiedAt === null) continue;
      seen.add(archive.customerId);
      const current = this.active.get(archive.customerId);
      if (current?.settingsVersion === archive.settingsVersion) continue;
      current?.store.close();
      let secret: string;
      try {
        secret = openSecret(
          this.config.secretKey.key,
          secretContext(archive.customerId, 'secret'),
          archive.secretCiphertext,
        );
      } catch (err) {
        this.log.error('cannot decrypt an archive secret', {
          customer: archive.customerId,
          error: err instanceof Error ? err.message : String(err),
        });
        continue;
      }
      this.active.set(archive.customerId, {
        customerId: archive.customerId,
        settingsVersion: archive.settingsVersion,
        pathPrefix: archive.pathPrefix,
        hivePartitioning: archive.hivePartitioning,
        compression: archive.compression,
        limits: {
          intervalMs: archive.flushIntervalS * 1000,
          maxBytes: archive.flushBytes,
          maxLines: archive.flushLines,
        },
        store: new ObjectStore(
          {
            endpoint: archive.endpoint,
            bucket: archive.bucket,
            region: archive.region,
            accessKeyId: archive.accessKeyId,
            secretAccessKey: secret,
          },
          this.config.uploadTimeoutMs,
        ),
      });
      if (current) {
        this.log.info('archive settings changed; retrying at once', {
          customer: archive.customerId,
        });
        this.changes.emit(archive.customerId);
      }
    }
    for (const [id, a] of this.active) {
      if (!seen.has(id)) {
        a.store.close();
        this.active.delete(id);
        this.changes.emit(id);
      }
    }
  }

  /** One consumer run over exactly the archived customers' topics. */
  private async alignConsumer(): Promise<void> {
    const topics = [...this.active.keys()].map((id) => customerTopic(parseCustomerId(id))).sort();
    const same = topics.join(',') === this.topics.join(',');
    if (same && this.restartWanted === undefined && this.consumer) return;
    if (same && topics.length === 0) return;
    const reason = this.restartWanted ?? (same ? 'start' : 'archived customers changed');
    this.restartWanted = undefined;
    if (this.consumer) {
      await this.consumer
        .stop()
        .catch((err: unknown) =>
          this.log.warn('stopping the consumer failed', { error: String(err) }),
        );
      this.consumer = undefined;
    }
    this.topics = topics;
    if (topics.length === 0 || this.stopped) return;
    this.log.info('archive consumer starting', { reason, topics: topics.length });
    const consumer = new ArchiveConsumer(
      this.kafka,
      {
        groupId: this.config.groupId,
        topics,
        concurrency: 3,
        sessionTimeoutMs: this.config.sessionTimeoutMs,
      },
      {
        repo: this.repo,
        log: this.log,
        levels: { gzipLevel: this.config.gzipLevel, zstdLevel: this.config.zstdLevel },
        retry: { minMs: this.config.retryMinMs, maxMs: this.config.retryMaxMs },
        archive: (id) => this.active.get(id),
        waitForChange: (id, ms) => this.waitForChange(id, ms),
        uploaded: (id, chunk, objectBytes, seconds) => {
          this.metrics.uploads.inc({ customer: id, result: 'ok' });
          this.metrics.lines.inc({ customer: id }, chunk.lines.length);
          this.metrics.bytes.inc({ customer: id }, objectBytes);
          this.metrics.uploadSeconds.observe(seconds);
        },
        failed: (id, failure) => {
          this.metrics.uploads.inc({ customer: id, result: 'failed' });
          this.repo
            .recordUploadFailure(id, failure.message, failure.permanent ? 'failed' : 'failing')
            .catch(() => undefined);
        },
        lost: (id, lines) => {
          this.metrics.linesLost.inc({ customer: id }, lines);
          this.log.warn('lines left Kafka retention before they were archived', {
            customer: id,
            lines,
          });
          this.repo.addLinesLost(id, BigInt(lines)).catch(() => undefined);
        },
        reset: (why) => {
          this.restartWanted = why;
        },
      },
      this.log,
      (error) => {
        this.restartWanted = `consumer crashed: ${error}`;
      },
    );
    this.consumer = consumer;
    this.metrics.consumerStarts.inc();
    await consumer.start();
  }

  private waitForChange(customerId: string, ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.changes.off(customerId, done);
        this.changes.off('any', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.changes.on(customerId, done);
      this.changes.on('any', done);
    });
  }

  /** Each customer's state and lag, from the partitions this instance holds. */
  private async writeStatus(): Promise<void> {
    const workers = this.consumer?.allWorkers() ?? [];
    this.metrics.partitions.set(this.consumer?.assigned ?? 0);
    this.metrics.bufferedLines.set(workers.reduce((n, w) => n + w.bufferedLines(), 0));
    const now = Date.now();
    const byCustomer = new Map<string, typeof workers>();
    for (const w of workers)
      byCustomer.set(w.customerId, [...(byCustomer.get(w.customerId) ?? []), w]);
    for (const [id, list] of byCustomer) {
      const failures = list.map((w) => w.lastFailure).filter((f) => f !== undefined);
      const lastFailure = failures.find((f) => f.permanent) ?? failures[0];
      // A catch-up shorter than one status interval is still reported once.
      const recovering = list.some((w) => w.recovering || w.recoveredUnreported);
      for (const w of list) w.recoveredUnreported = false;
      let state = archiveState({ lastFailure, recovering });
      // Back from failing, the backlog is delivered through catching_up, reported at least once,
      // even when the partitions recovered at different ticks and each flag went out with one.
      if (state === 'active' && this.reported.get(id) === 'failing') state = 'catching_up';
      const behind = Math.max(...list.map((w) => w.behindMs(now)));
      if (this.reported.get(id) !== state) {
        this.log.info('archive state', {
          customer: id,
          from: this.reported.get(id) ?? null,
          state,
          behindMs: behind,
          error: lastFailure?.message,
        });
        this.reported.set(id, state);
      }
      this.metrics.behindSeconds.set({ customer: id }, behind / 1000);
      this.metrics.failing.set({ customer: id }, lastFailure ? (lastFailure.permanent ? 2 : 1) : 0);
      await this.repo.recordState(id, state, behind);
    }
  }
}
