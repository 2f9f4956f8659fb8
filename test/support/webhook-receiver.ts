import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
