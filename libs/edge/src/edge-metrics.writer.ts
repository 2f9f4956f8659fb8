import { DROP_REASONS } from './drop-reason.types';
import type { EdgeSnapshot, SpoolSnapshot } from './edge-counters.types';

type Kind = 'counter' | 'gauge';
interface Family {
  name: string;
  kind: Kind;
  help: string;
  samples: Array<[labels: string, value: number]>;
}

const PREFIX = 'logstream_edge_';

/** One sample without labels; `name` without the `logstream_edge_` prefix unless `bare`. */
function family(name: string, kind: Kind, help: string, value: number, bare = false): Family {
  return { name: bare ? name : PREFIX + name, kind, help, samples: [['', value]] };
}

/** The Prometheus text exposition (format 0.0.4) of one snapshot. */
export function renderPrometheus(s: EdgeSnapshot): string {
  const c = s.counters;
  const g = s.gauges;
  const ms = (v: number): number => v / 1000;
  const families: Family[] = [
    family('lines_read_total', 'counter', 'Lines read from the source.', c.linesRead),
    family(
      'lines_routed_total',
      'counter',
      "Lines handed to Kafka for their customer's topic.",
      c.linesRouted,
    ),
    {
      name: `${PREFIX}lines_dropped_total`,
      kind: 'counter',
      help: 'Lines not produced, by reason (queue_full: dropped from the disk spool, its budget full).',
      samples: DROP_REASONS.map((r) => [`{reason="${r}"}`, c.dropped[r]]),
    },
    family('bytes_read_total', 'counter', 'Bytes read from the source.', c.bytesRead),
    family(
      'bytes_routed_total',
      'counter',
      'Bytes of log lines handed to Kafka (ids removed).',
      c.bytesRouted,
    ),
    family(
      'produce_errors_total',
      'counter',
      'Lines Kafka refused or failed to deliver.',
      c.produceErrors,
    ),
    family(
      'queue_full_total',
      'counter',
      'Times the local queue was full and reading paused.',
      c.queueFullEvents,
    ),
    family(
      'blocked_seconds_total',
      'counter',
      'Time reading was paused on a full local queue.',
      ms(c.blockedMs),
    ),
    {
      name: `${PREFIX}registry_records_total`,
      kind: 'counter',
      help: 'Tenant registry records read, by what they did.',
      samples: [
        ['{result="applied"}', c.registryApplied],
        ['{result="stale"}', c.registryStale],
        ['{result="invalid"}', c.registryInvalid],
      ],
    },
    family(
      'source_restarts_total',
      'counter',
      'Restarts of the exec source command.',
      c.sourceRestarts,
    ),
    family('source_rotations_total', 'counter', 'Log file rotations followed.', c.sourceRotations),
    {
      name: `${PREFIX}customer_stats_records_total`,
      kind: 'counter',
      help: 'Per-customer stats records to logstream.edge-stats: handed over (sent), and refused or undelivered (failed).',
      samples: [
        ['{outcome="sent"}', c.customerStatsSent],
        ['{outcome="failed"}', c.customerStatsFailed],
      ],
    },
    {
      name: `${PREFIX}udp_datagrams_dropped_total`,
      kind: 'counter',
      help: 'udp: source datagrams dropped, by the edge (behind) or the kernel (receive buffer).',
      samples: [
        ['{by="edge"}', c.udpDatagramsDropped],
        ['{by="kernel"}', c.udpKernelDrops],
      ],
    },
    family('tcp_connections_total', 'counter', 'tcp: source connections.', c.tcpConnections),
    family('queue_messages', 'gauge', "Messages in librdkafka's local queue.", g.queueMessages),
    family('queue_bytes', 'gauge', "Bytes in librdkafka's local queue.", g.queueBytes),
    {
      name: `${PREFIX}tenants`,
      kind: 'gauge',
      help: 'Customers in the tenant registry, by state.',
      samples: [
        ['{state="enabled"}', g.tenantsEnabled],
        ['{state="disabled"}', g.tenantsKnown - g.tenantsEnabled],
      ],
    },
    family(
      'registry_caught_up',
      'gauge',
      '1 once the registry was read to its end and routing began.',
      g.registryCaughtUp ? 1 : 0,
    ),
    {
      name: `${PREFIX}queue_latency_seconds`,
      kind: 'gauge',
      help: "Time messages spend in librdkafka's local queue (linger included), from its statistics.",
      samples: [
        ['{quantile="0.5"}', ms(g.queueLatencyP50Ms)],
        ['{quantile="0.99"}', ms(g.queueLatencyP99Ms)],
      ],
    },
    {
      name: `${PREFIX}broker_rtt_seconds`,
      kind: 'gauge',
      help: 'Produce request round trip to the brokers, from librdkafka statistics.',
      samples: [
        ['{quantile="0.5"}', ms(g.brokerRttP50Ms)],
        ['{quantile="0.99"}', ms(g.brokerRttP99Ms)],
      ],
    },
    family('process_cpu_seconds_total', 'counter', 'CPU time, all threads.', g.cpuSeconds, true),
    family('process_resident_memory_bytes', 'gauge', 'Resident memory.', g.residentBytes, true),
    family(
      'process_start_time_seconds',
      'gauge',
      'Start time, Unix seconds.',
      g.startTimeSeconds,
      true,
    ),
  ];
  if (s.spool) families.push(...spoolFamilies(s.spool));
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.kind}`);
    for (const [labels, value] of f.samples) out.push(`${f.name}${labels} ${formatValue(value)}`);
  }
  return `${out.join('\n')}\n`;
}

/** Only with a spool: an edge without one exports none of these. */
function spoolFamilies(sp: SpoolSnapshot): Family[] {
  return [
    {
      name: `${PREFIX}spool_lines_total`,
      kind: 'counter',
      help: 'Disk spool lines: spooled (queue full), drained (read back, acknowledged by Kafka), dropped (budget full or unreadable; also lines_dropped_total{reason="queue_full"}).',
      samples: [
        ['{event="spooled"}', sp.spooledLines],
        ['{event="drained"}', sp.drainedLines],
        ['{event="dropped"}', sp.droppedLines],
      ],
    },
    family(
      'spool_repeated_lines',
      'gauge',
      'Lines read from the spool before the last crash but not acknowledged: sent again, Kafka may hold them twice.',
      sp.repeatedLines,
    ),
    family('spool_bytes', 'gauge', 'Bytes of spool segments on disk.', sp.bytes),
    family('spool_segments', 'gauge', 'Spool segment files on disk.', sp.segments),
    family(
      'spool_oldest_line_age_seconds',
      'gauge',
      'How long ago the oldest line not yet sent was spooled (0: none).',
      sp.oldestAgeSeconds,
    ),
  ];
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

/** The periodic one-line stats log: totals, rates since the previous line, queue and latency. */
export function statsLine(
  now: EdgeSnapshot,
  previous: EdgeSnapshot | undefined,
  elapsedMs: number,
): Record<string, unknown> {
  const c = now.counters;
  const g = now.gauges;
  const perSecond = (v: number, before: number | undefined): number =>
    elapsedMs > 0 ? Math.round(((v - (before ?? 0)) * 1000) / elapsedMs) : 0;
  const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
  return {
    msg: 'stats',
    read: c.linesRead,
    routed: c.linesRouted,
    dropped,
    droppedBy: c.dropped,
    bytesRead: c.bytesRead,
    bytesRouted: c.bytesRouted,
    readPerS: perSecond(c.linesRead, previous?.counters.linesRead),
    routedPerS: perSecond(c.linesRouted, previous?.counters.linesRouted),
    produceErrors: c.produceErrors,
    queueMessages: g.queueMessages,
    queueFull: c.queueFullEvents,
    blockedMs: c.blockedMs,
    udpDatagramsDropped: c.udpDatagramsDropped,
    udpKernelDrops: c.udpKernelDrops,
    tcpConnections: c.tcpConnections,
    customerStatsSent: c.customerStatsSent,
    customerStatsFailed: c.customerStatsFailed,
    deliveryLatencyP99Ms: Math.round(g.queueLatencyP99Ms + g.brokerRttP99Ms),
    tenantsEnabled: g.tenantsEnabled,
    caughtUp: g.registryCaughtUp,
    rssMiB: Math.round(g.residentBytes / 1048576),
    ...(now.spool && {
      spooled: now.spool.spooledLines,
      spoolDrained: now.spool.drainedLines,
      spoolDropped: now.spool.droppedLines,
      spoolRepeated: now.spool.repeatedLines,
      spoolBadBlocks: now.spool.badBlocks,
      spoolBytes: now.spool.bytes,
      spoolOldestAgeS: Math.round(now.spool.oldestAgeSeconds),
      spoolAppendMaxMs: Math.round(now.spool.appendMaxMs * 10) / 10,
    }),
  };
}
