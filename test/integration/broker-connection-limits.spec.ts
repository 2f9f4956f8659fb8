import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';

/**
 * Opens `count` TCP connections to the SSL listener from `localAddress`, waits, and says how
 * many the broker closed. Kafka counts a connection when it accepts it (before TLS), so plain
 * sockets count as a customer's clients would.
 */
async function openFrom(localAddress: string, count: number): Promise<number> {
  const [host, port] = loadKafkaConfig('logstream-limit-test').customerBootstrap[0].split(':');
  const sockets: Socket[] = [];
  let closed = 0;
  try {
    for (let i = 0; i < count; i++) {
      const socket = connect({
        host: host === 'localhost' ? '127.0.0.1' : host,
        port: Number(port),
        localAddress,
      });
      socket.on('error', () => undefined);
      socket.once('close', () => closed++);
      sockets.push(socket);
      await new Promise<void>((resolve) => {
        socket.once('connect', resolve);
        socket.once('close', () => resolve());
      });
    }
    await sleep(1_500);
    return closed;
  } finally {
    for (const s of sockets) s.destroy();
  }
}

describe('broker connection limits per source address', () => {
  it('closes connections past the per-address limit (127.0.0.2 stands for a customer: 20)', async () => {
    assert.equal(await openFrom('127.0.0.2', 26), 6);
  });

  it('leaves loopback, where the platform and the tests run, its higher limit', async () => {
    assert.equal(await openFrom('127.0.0.1', 26), 0);
  });
});
