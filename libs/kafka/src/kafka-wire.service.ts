import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { WireWriter } from './kafka-wire.writer';

/** Where to connect, and the client certificate when it is an SSL listener. */
export interface WireEndpoint {
  host: string;
  port: number;
  tls?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key'>;
}

/**
 * One connection to one broker that sends requests by hand, one at a time (a request waits for
 * the one before it). Kept small on purpose: it frames requests (header v1) and matches the
 * response's correlation id, nothing more.
 */
export class KafkaWireConnection {
  private correlationId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
  ) {
    socket.once('close', () => (this.closed = true));
    // Between requests an error only ends the connection ('close' follows); a request in
    // flight gets it through its own listener.
    socket.on('error', () => undefined);
  }

  static open(
    endpoint: WireEndpoint,
    clientId: string,
    timeoutMs = 10_000,
  ): Promise<KafkaWireConnection> {
    return new Promise((resolve, reject) => {
      const { host, port, tls } = endpoint;
      const socket = tls
        ? connectTls({ host, port, servername: host, ...tls })
        : connectTcp({ host, port });
      socket.setTimeout(timeoutMs, () =>
        socket.destroy(new Error(`connect to ${host}:${port} timed out`)),
      );
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        resolve(new KafkaWireConnection(socket, clientId));
      });
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Sends one request and resolves with the response body (after the correlation id). */
  request(apiKey: number, version: number, body: Buffer, timeoutMs = 15_000): Promise<Buffer> {
    const next = this.queue.then(() => this.send(apiKey, version, body, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(apiKey: number, version: number, body: Buffer, timeoutMs: number): Promise<Buffer> {
    const correlationId = ++this.correlationId;
    const header = new WireWriter()
      .int16(apiKey)
      .int16(version)
      .int32(correlationId)
      .string(this.clientId)
      .build();
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length);
    return new Promise((resolve, reject) => {
      let received = Buffer.alloc(0);
      const timer = setTimeout(() => {
        // A late answer would be taken for the next request's: the connection is spent.
        this.close();
        fail(new Error(`no answer to api key ${apiKey} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.socket.off('data', onData);
        this.socket.off('error', fail);
        this.socket.off('close', onClose);
      };
      const fail = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        if (received.length < 4) return;
        const length = received.readInt32BE(0);
        if (received.length < 4 + length) return;
        cleanup();
        const response = received.subarray(4, 4 + length);
        const gotId = response.readInt32BE(0);
        if (gotId !== correlationId) {
          reject(new Error(`correlation id ${gotId}, expected ${correlationId}`));
        } else {
          resolve(response.subarray(4));
        }
      };
      const onClose = (): void =>
        fail(new Error(`the broker closed the connection (api key ${apiKey})`));
      this.socket.on('data', onData);
      this.socket.once('error', fail);
      this.socket.once('close', onClose);
      this.socket.write(Buffer.concat([size, header, body]));
    });
  }
}
