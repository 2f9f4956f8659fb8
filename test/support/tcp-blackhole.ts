import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A loopback TCP forwarder in front of a real server (PostgreSQL here) that can turn into a
 * black hole: bytes stop flowing both ways while every socket stays open, as in a network
 * partition where no RST ever arrives. Closing either side still closes the other, as a
 * client that gives up would. A fault injector only: the server behind it is the real one.
 */
export class TcpBlackhole {
  private server: Server | undefined;
  private readonly pairs: Array<[Socket, Socket]> = [];
  private dropping = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      this.pairs.push([client, upstream]);
      const forward = (from: Socket, to: Socket) =>
        from.on('data', (chunk) => {
          if (!this.dropping) to.write(chunk);
        });
      forward(client, upstream);
      forward(upstream, client);
      const closeBoth = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', closeBoth).on('error', closeBoth);
      upstream.on('close', closeBoth).on('error', closeBoth);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** From now on every byte in either direction is dropped; no socket is closed. */
  blackhole(): void {
    this.dropping = true;
  }

  async stop(): Promise<void> {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
