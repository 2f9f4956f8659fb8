import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { CustomerId } from '@logstream/tenancy';
import { trafficSource } from '@logstream/traffic';

export interface EdgeInputs {
  /** `<customerId> <line>` lines: what the edge producer and rsyslog read. */
  edge: string;
  /** The same lines without the id: what kcat -P sends to one topic. */
  bodies: string;
  avgBytes: number;
}

/** Writes `lines` Zipf-spread lines of ~300 bytes (the profile) for `ids`. */
export async function writeEdgeInputs(
  dir: string,
  ids: readonly CustomerId[],
  lines: number,
): Promise<EdgeInputs> {
  const edge = path.join(dir, 'edge-input.log');
  const bodies = path.join(dir, 'bodies.log');
  const next = trafficSource({ customers: ids, zipf: 1.1, unknownShare: 0, seed: 11 });
  const a = createWriteStream(edge);
  const b = createWriteStream(bodies);
  const pad = ' '.repeat(60);
  const now = Date.now();
  for (let i = 0; i < lines; i++) {
    const line = `${next(now + i)}${pad}`;
    a.write(`${line}\n`);
    b.write(`${line.slice(line.indexOf(' ') + 1)}\n`);
    // Checked at the time of waiting: a stream that drained meanwhile must not be waited for.
    if (a.writableNeedDrain) await once(a, 'drain');
    if (b.writableNeedDrain) await once(b, 'drain');
  }
  await Promise.all([
    new Promise<void>((r) => a.end(() => r())),
    new Promise<void>((r) => b.end(() => r())),
  ]);
  return { edge, bodies, avgBytes: Math.round((await stat(edge)).size / lines) };
}
