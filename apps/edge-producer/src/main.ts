import { createServer, type Server } from 'node:http';
import { ConfigError } from '@logstream/config';
import {
  type EdgeConfig,
  EdgeCounters,
  edgeHelp,
  type EdgeSnapshot,
  loadEdgeConfig,
  renderPrometheus,
  statsLine,
  TenantTable,
} from '@logstream/edge';
import { EdgePipeline } from './edge-pipeline.service';
import { EdgeKafkaProducer } from './kafka-producer.service';
import { RegistryFollower } from './registry-follower.service';
import { FileTailSource } from './sources/file-tail.source';
import type { LineSource } from './sources/line-source.types';
import { StreamSource } from './sources/stream.source';

/** JSON log lines on stderr (stdout may be a pipe someone reads). */
function log(message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), app: 'edge-producer', msg: message, ...fields })}\n`,
  );
}

function openSource(config: EdgeConfig): LineSource {
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
  }
}

function snapshot(
  counters: EdgeCounters,
  producer: EdgeKafkaProducer,
  table: TenantTable,
  registry: RegistryFollower,
  startedAt: number,
): EdgeSnapshot {
  const cpu = process.cpuUsage();
  return {
    counters: counters.snapshot(),
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

function serveMetrics(config: EdgeConfig, read: () => EdgeSnapshot): Promise<Server | undefined> {
  const listen = config.metrics;
  if (!listen) return Promise.resolve(undefined);
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(renderPrometheus(read()));
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', registryCaughtUp: read().gauges.registryCaughtUp }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          statusCode: 404,
          error: 'Not Found',
          message: 'try /metrics or /healthz',
        }),
      );
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      const address = server.address();
      log('metrics listening', {
        port: typeof address === 'object' && address ? address.port : listen.port,
      });
      resolve(server);
    });
  });
}

async function main(): Promise<number> {
  const command = loadEdgeConfig(process.argv.slice(2));
  if (command.kind === 'help') {
    process.stdout.write(`${edgeHelp()}\n`);
    return 0;
  }
  const config = command.config;
  const startedAt = Date.now();
  const counters = new EdgeCounters();
  const table = new TenantTable();
  const source = openSource(config);
  source.onRestart = () => counters.sourceRestarts++;
  source.onRotation = () => counters.sourceRotations++;
  const producer = new EdgeKafkaProducer(config, table, counters, log);
  const registry = new RegistryFollower(config, table, counters, log);
  const read = () => snapshot(counters, producer, table, registry, startedAt);
  const metrics = await serveMetrics(config, read);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('stopping: no more reading, flushing what was read', { signal });
    source.stop();
    void registry.stop();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

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
  const pipeline = new EdgePipeline(config, source, producer, registry, table, counters);
  let status = 0;
  try {
    await pipeline.run(() => stopping);
  } catch (err) {
    log('source failed', { error: err instanceof Error ? err.message : String(err) });
    status = 1;
  }
  try {
    // Everything read is flushed; then (file source) the position records it as sent.
    if (!(await pipeline.checkpoint())) {
      throw new Error(`Kafka did not acknowledge within ${config.shutdownTimeoutMs} ms`);
    }
    await producer.flush(config.shutdownTimeoutMs);
  } catch (err) {
    log('not everything read was delivered (a file source resumes before it)', {
      error: err instanceof Error ? err.message : String(err),
      queued: producer.queued,
    });
    status = 1;
  }
  if (producer.fatalError !== undefined) status = 1;
  if (statsTimer) clearInterval(statsTimer);
  log('stopped', { ...statsLine(read(), undefined, Date.now() - startedAt), msg: 'stopped' });
  await registry.stop();
  producer.disconnect();
  metrics?.close();
  return status;
}

main().then(
  (status) => process.exit(status),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `edge-producer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
