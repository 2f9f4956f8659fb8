import {
  CustomerCounters,
  DiskSpool,
  DROP_QUEUE_FULL,
  type EdgeConfig,
  EdgeCounters,
  edgeHelp,
  type EdgeSnapshot,
  type Log,
  loadEdgeConfig,
  renderPrometheus,
  statsLine,
  TenantTable,
} from '@logstream/edge';
import {
  createLogger,
  errorMessage,
  type ProbeServer,
  runMain,
  startProbeServer,
  untilAborted,
} from '@logstream/observability';
import { CustomerStatsPublisher } from './customer-stats-publisher.service';
import { EdgePipeline } from './edge-pipeline.service';
import { EdgeKafkaProducer } from './kafka-producer.service';
import { RegistryFollower } from './registry-follower.service';
import { FileTailSource } from './sources/file-tail.source';
import type { LineSource } from './sources/line-source.types';
import { TcpSource, UdpSource } from './sources/network.source';
import { StreamSource } from './sources/stream.source';

const logger = createLogger({ app: 'edge-producer' });
const log: Log = (message, fields) => logger.info(message, fields);

function openSource(config: EdgeConfig, counters: EdgeCounters): LineSource {
  const s = config.source;
  switch (s.kind) {
    case 'stdin':
      return StreamSource.stdin();
    case 'fifo':
      return StreamSource.fifo(s.path, log);
    case 'exec':
      return StreamSource.exec(s.command, config.execMaxBackoffMs, log);
    case 'file':
      if (!config.file) throw new Error('file source without file settings');
      return new FileTailSource(s.path, config.file, log);
    case 'udp':
      return new UdpSource(s.host, s.port, counters, log);
    case 'tcp':
      return new TcpSource(s.host, s.port, config.maxLineBytes, counters, log);
  }
}

function snapshot(
  counters: EdgeCounters,
  producer: EdgeKafkaProducer,
  table: TenantTable,
  registry: RegistryFollower,
  startedAt: number,
  spool: DiskSpool | undefined,
): EdgeSnapshot {
  const cpu = process.cpuUsage();
  // Lines the spool dropped (budget full, unreadable) are the queue_full drops.
  if (spool) counters.dropped[DROP_QUEUE_FULL] = spool.stats.droppedLines;
  const oldest = spool?.oldestUnreadAt();
  return {
    counters: counters.snapshot(),
    spool: spool && {
      ...spool.stats,
      bytes: spool.bytes,
      segments: spool.segmentCount,
      oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
    },
    gauges: {
      ...producer.stats,
      tenantsKnown: table.size,
      tenantsEnabled: table.enabled,
      registryCaughtUp: registry.isCaughtUp,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      residentBytes: process.memoryUsage.rss(),
      startTimeSeconds: startedAt / 1000,
    },
  };
}

function serveMetrics(
  config: EdgeConfig,
  read: () => EdgeSnapshot,
): Promise<ProbeServer | undefined> {
  if (!config.metrics) return Promise.resolve(undefined);
  return startProbeServer({
    ...config.metrics,
    logger,
    health: () => ({ registryCaughtUp: read().gauges.registryCaughtUp }),
    readiness: () => {
      const registryCaughtUp = read().gauges.registryCaughtUp;
      return { ready: registryCaughtUp, registryCaughtUp };
    },
    metrics: () => renderPrometheus(read()),
  });
}

async function main(signal: AbortSignal, argv: readonly string[]): Promise<number> {
  const command = loadEdgeConfig([...argv]);
  if (command.kind === 'help') {
    process.stdout.write(`${edgeHelp()}\n`);
    return 0;
  }
  const config = command.config;
  const startedAt = Date.now();
  const counters = new EdgeCounters();
  const perCustomer = new CustomerCounters();
  const table = new TenantTable();
  const source = openSource(config, counters);
  source.onRestart = () => counters.sourceRestarts++;
  source.onRotation = () => counters.sourceRotations++;
  const producer = new EdgeKafkaProducer(config, table, counters, logger);
  const registry = new RegistryFollower(config, table, counters, log);
  const customerStats =
    config.customerStatsIntervalMs > 0
      ? new CustomerStatsPublisher(config, table, perCustomer, counters, startedAt, logger)
      : undefined;
  const spool = config.spool && DiskSpool.open(config.spool, log);
  const read = () => snapshot(counters, producer, table, registry, startedAt, spool);
  const metrics = await serveMetrics(config, read);

  let stopping = false;
  void untilAborted(signal).then(() => {
    stopping = true;
    log('stopping: no more reading, flushing what was read', { signal: String(signal.reason) });
    source.stop();
    void registry.stop();
  });

  let previous: EdgeSnapshot | undefined;
  let previousAt = startedAt;
  const statsTimer =
    config.statsIntervalMs > 0
      ? setInterval(() => {
          const now = read();
          log('stats', statsLine(now, previous, Date.now() - previousAt));
          previous = now;
          previousAt = Date.now();
        }, config.statsIntervalMs)
      : undefined;

  log('starting', {
    source: source.name,
    brokers: config.kafka.brokers.join(','),
    ssl: Boolean(config.kafka.tls),
  });
  void registry.start();
  customerStats?.start();
  const pipeline = new EdgePipeline(
    config,
    source,
    producer,
    registry,
    table,
    counters,
    perCustomer,
    spool,
    log,
  );
  let status = 0;
  let delivered = false;
  try {
    await pipeline.run(() => stopping);
  } catch (err) {
    logger.error('source failed', { error: errorMessage(err) });
    status = 1;
  }
  try {
    // Everything read is flushed; then (file source) the position records it as sent.
    if (!(await pipeline.checkpoint())) {
      throw new Error(`Kafka did not acknowledge within ${config.shutdownTimeoutMs} ms`);
    }
    await producer.flush(config.shutdownTimeoutMs);
    delivered = true;
  } catch (err) {
    logger.error('not everything read was delivered (a file source resumes before it)', {
      error: errorMessage(err),
      queued: producer.queued,
    });
    status = 1;
  }
  pipeline.closeSpool(delivered);
  if (producer.fatalError !== undefined) status = 1;
  // After the lines' flush, so the last record counts every line read (and it is not lost).
  await customerStats?.stop();
  if (statsTimer) clearInterval(statsTimer);
  log('stopped', statsLine(read(), undefined, Date.now() - startedAt));
  await registry.stop();
  producer.disconnect();
  await metrics?.close();
  return status;
}

runMain({ app: 'edge-producer' }, (ctx) => main(ctx.signal, ctx.argv));
