import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { DROP_OVERSIZE, type EdgeCounters, udpKernelDrops } from '@logstream/edge';
import type { LineSource, SourceEvent } from './line-source.types';

const NEWLINE = 0x0a;
/** Bytes received and not yet taken by the pipeline before UDP drops / TCP pauses its senders. */
const QUEUE_MAX_BYTES = 8 * 1024 * 1024;

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** Chunks waiting for the pipeline; every chunk holds whole lines only. */
class ChunkQueue {
  private readonly chunks: Buffer[] = [];
  bytes = 0;
  private wake: (() => void) | undefined;
  onDrained?: () => void;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.wake?.();
  }

  get full(): boolean {
    return this.bytes >= QUEUE_MAX_BYTES;
  }

  async *drain(stopped: () => boolean): AsyncGenerator<SourceEvent, void, undefined> {
    while (!stopped() || this.chunks.length > 0) {
      const chunk = this.chunks.shift();
      if (chunk === undefined) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      this.bytes -= chunk.length;
      if (this.bytes < QUEUE_MAX_BYTES / 2) this.onDrained?.();
      yield chunk;
    }
  }

  stop(): void {
    this.wake?.();
  }
}

/**
 * `udp:HOST:PORT`: each datagram holds one or more lines; its end ends its last line (a line
 * never spans datagrams). When the pipeline falls behind by {@link QUEUE_MAX_BYTES} datagrams
 * are dropped and counted; so are those the kernel dropped (its socket statistics).
 */
export class UdpSource implements LineSource {
  readonly name: string;
  private readonly queue = new ChunkQueue();
  private stopped = false;
  private dropsTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly counters: EdgeCounters,
    private readonly log: Log,
  ) {
    this.name = `udp:${host}:${port}`;
  }

  async *events(): AsyncGenerator<SourceEvent, void, undefined> {
    // A large receive buffer rides out the pipeline's pauses (the kernel caps it at rmem_max).
    const socket = createSocket({
      type: this.host.includes(':') ? 'udp6' : 'udp4',
      recvBufferSize: 8 * 1024 * 1024,
    });
    socket.on('message', (msg: Buffer) => {
      if (this.queue.full) {
        this.counters.udpDatagramsDropped++;
        return;
      }
      this.queue.push(msg[msg.length - 1] === NEWLINE ? msg : Buffer.concat([msg, NL]));
    });
    socket.on('error', (err) => this.log('udp source error', { error: err.message }));
    await new Promise<void>((resolve) => socket.bind(this.port, this.host, resolve));
    const port = socket.address().port;
    this.log('network source listening', { source: 'udp', host: this.host, port });
    const family = this.host.includes(':') ? 'udp6' : 'udp';
    const readDrops = () =>
      readFile(`/proc/net/${family}`, 'utf8').then(
        (text) => {
          this.counters.udpKernelDrops = udpKernelDrops(text, port) ?? this.counters.udpKernelDrops;
        },
        () => undefined,
      );
    this.dropsTimer = setInterval(() => void readDrops(), 1000);
    try {
      yield* this.queue.drain(() => this.stopped);
    } finally {
      clearInterval(this.dropsTimer);
      await readDrops();
      socket.close();
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
  }
}

const NL = Buffer.from('\n');

/**
 * `tcp:HOST:PORT`: newline-delimited lines over any number of connections. Each connection is
 * cut at its last newline so chunks hold whole lines only (lines of two connections never mix);
 * a connection's last line ends with the connection. A line longer than `maxLineBytes` is
 * skipped to its end and counted. Senders are paused (TCP flow control) while the pipeline is
 * {@link QUEUE_MAX_BYTES} behind.
 */
export class TcpSource implements LineSource {
  readonly name: string;
  private readonly queue = new ChunkQueue();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private stopped = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxLineBytes: number,
    private readonly counters: EdgeCounters,
    private readonly log: Log,
  ) {
    this.name = `tcp:${host}:${port}`;
    this.queue.onDrained = () => {
      for (const s of this.sockets) if (s.isPaused()) s.resume();
    };
  }

  async *events(): AsyncGenerator<SourceEvent, void, undefined> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, this.host, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.port;
    this.log('network source listening', { source: 'tcp', host: this.host, port });
    try {
      yield* this.queue.drain(() => this.stopped);
    } finally {
      server.close();
      for (const s of this.sockets) s.destroy();
    }
  }

  stop(): void {
    this.stopped = true;
    this.server?.close();
    for (const s of this.sockets) s.end();
    this.queue.stop();
  }

  /** A line skipped here counts as the pipeline counts its own oversize lines. */
  private oversize(): void {
    this.counters.linesRead++;
    this.counters.dropped[DROP_OVERSIZE]++;
  }

  private accept(socket: Socket): void {
    this.counters.tcpConnections++;
    this.sockets.add(socket);
    let partial: Buffer | undefined;
    let skipping = false;
    socket.on('data', (data: Buffer) => {
      const last = data.lastIndexOf(NEWLINE);
      if (last === -1) {
        if (skipping) return;
        partial = partial ? Buffer.concat([partial, data]) : Buffer.from(data);
        if (partial.length > this.maxLineBytes + 1) {
          partial = undefined;
          skipping = true;
        }
        return;
      }
      let head = data.subarray(0, last + 1);
      if (skipping) {
        const first = head.indexOf(NEWLINE);
        this.oversize();
        skipping = false;
        head = head.subarray(first + 1);
      } else if (partial) {
        head = Buffer.concat([partial, head]);
      }
      partial = undefined;
      const tail = data.subarray(last + 1);
      if (tail.length > 0) partial = Buffer.from(tail);
      if (head.length > 0) this.queue.push(head);
      if (this.queue.full) socket.pause();
    });
    const finish = () => {
      this.sockets.delete(socket);
      if (skipping) this.oversize();
      else if (partial) this.queue.push(Buffer.concat([partial, NL]));
      partial = undefined;
      skipping = false;
    };
    socket.on('end', finish);
    socket.on('error', (err) => this.log('tcp source connection error', { error: err.message }));
    socket.on('close', () => this.sockets.delete(socket));
  }
}
