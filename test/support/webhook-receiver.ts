import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedWebhook {
  body: string;
  headers: Record<string, string | undefined>;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  got: ReceivedWebhook[];
  server: Server;
}

/** A webhook receiver on loopback that fails its first `failures` requests with 500. */
export async function webhookReceiver(failures = 0): Promise<WebhookReceiver> {
  const got: ReceivedWebhook[] = [];
  let failed = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failed < failures ? 500 : 200;
      if (status === 500) failed++;
      got.push({
        body: Buffer.concat(chunks).toString('utf8'),
        headers: {
          signature: req.headers['logstream-signature'] as string | undefined,
          timestamp: req.headers['logstream-timestamp'] as string | undefined,
        },
        status,
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, got, server };
}

/**
 * What the health collector app does, in the test's process: collect, then send the alerts due,
 * every `intervalMs` until `stop()`. A failed round is printed (the waits that follow then time
 * out with it in view) and the loop goes on.
 */
export function runHealthLoop(
  collector: { collectOnce(): Promise<unknown> },
  delivery: { deliverDue(): Promise<unknown> },
  intervalMs = 500,
): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await collector.collectOnce();
        await delivery.deliverDue();
      } catch (err) {
        console.error('collection failed', err);
      }
      await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop.catch(() => undefined);
    },
  };
}
