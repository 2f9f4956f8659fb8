import { DROP_REASONS, type DropReason } from './drop-reason.types';
import type { SpoolStats } from './spool/spool-dir.files';

/**
 * Everything the edge producer counts. Plain number fields, bumped on the per-line path; the
 * metrics endpoint and the stats log read {@link EdgeCounters.snapshot}.
 */
export class EdgeCounters {
  linesRead = 0;
  linesRouted = 0;
  /** Bytes read from the source, line terminators included. */
  bytesRead = 0;
  /** Bytes handed to the producer: the log lines without their ids. */
  bytesRouted = 0;
  /** Indexed by the drop reason codes of drop-reason.types. */
  readonly dropped: number[] = DROP_REASONS.map(() => 0);
  /** Lines the producer refused outright or Kafka failed to deliver. */
  produceErrors = 0;
  /** Times the local queue was full and the source was paused. */
  queueFullEvents = 0;
  /** Time spent paused because the local queue was full. */
  blockedMs = 0;
  registryApplied = 0;
  registryStale = 0;
  registryInvalid = 0;
  /** exec: restarts of the command; file: switches to a rotated-in file. */
  sourceRestarts = 0;
  sourceRotations = 0;
  /** udp: datagrams dropped by the edge (the pipeline was behind), and by the kernel. */
  udpDatagramsDropped = 0;
  udpKernelDrops = 0;
  /** tcp: connections accepted. */
  tcpConnections = 0;
  /** Per-customer stats records handed to Kafka, and those refused or not delivered (of those). */
  customerStatsSent = 0;
  customerStatsFailed = 0;

  snapshot(): CounterSnapshot {
    const dropped = {} as Record<DropReason, number>;
    DROP_REASONS.forEach((reason, i) => (dropped[reason] = this.dropped[i]));
    return {
      linesRead: this.linesRead,
      linesRouted: this.linesRouted,
      bytesRead: this.bytesRead,
      bytesRouted: this.bytesRouted,
      dropped,
      produceErrors: this.produceErrors,
      queueFullEvents: this.queueFullEvents,
      blockedMs: this.blockedMs,
      registryApplied: this.registryApplied,
      registryStale: this.registryStale,
      registryInvalid: this.registryInvalid,
      sourceRestarts: this.sourceRestarts,
      sourceRotations: this.sourceRotations,
      udpDatagramsDropped: this.udpDatagramsDropped,
      udpKernelDrops: this.udpKernelDrops,
      tcpConnections: this.tcpConnections,
      customerStatsSent: this.customerStatsSent,
      customerStatsFailed: this.customerStatsFailed,
    };
  }
}

export interface CounterSnapshot {
  linesRead: number;
  linesRouted: number;
  bytesRead: number;
  bytesRouted: number;
  dropped: Record<DropReason, number>;
  produceErrors: number;
  queueFullEvents: number;
  blockedMs: number;
  registryApplied: number;
  registryStale: number;
  registryInvalid: number;
  sourceRestarts: number;
  sourceRotations: number;
  udpDatagramsDropped: number;
  udpKernelDrops: number;
  tcpConnections: number;
  customerStatsSent: number;
  customerStatsFailed: number;
}

/** Values that are read, not counted: the producer's queue, the registry, the process. */
export interface EdgeGauges {
  queueMessages: number;
  queueBytes: number;
  tenantsKnown: number;
  tenantsEnabled: number;
  registryCaughtUp: boolean;
  /** From librdkafka's statistics: time in the local queue, and the broker round trip. */
  queueLatencyP50Ms: number;
  queueLatencyP99Ms: number;
  brokerRttP50Ms: number;
  brokerRttP99Ms: number;
  cpuSeconds: number;
  residentBytes: number;
  startTimeSeconds: number;
}

/** The disk spool's figures (spool/disk-spool.store.ts), when there is a spool. */
export interface SpoolSnapshot extends SpoolStats {
  bytes: number;
  segments: number;
  /** How long ago the oldest line still to be sent was spooled; 0 when none is. */
  oldestAgeSeconds: number;
}

export interface EdgeSnapshot {
  counters: CounterSnapshot;
  spool?: SpoolSnapshot;
  gauges: EdgeGauges;
}
