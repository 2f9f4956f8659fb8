import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import { DROP_REASONS, type DropReason } from '@logstream/edge';
import { createKafkaClient } from '@logstream/kafka';
import { type CustomerId, customerTopic, parseCustomerId } from '@logstream/tenancy';
import { seededRandom } from '@logstream/traffic';
import { EdgeTestBed, finalCounters, startEdge } from '../support/edge';
import { readTopicsInGroup } from '../support/group-reader';
import { HostileLineGenerator, type LineFate } from '../support/hostile-lines';
import { randomToken } from '../support/ids';
import { recordFigures } from '../support/test-output';

/** Rounds start while this budget lasts (at least one; at most MAX_ROUNDS). */
const BUDGET_MS = 12_000;
const MAX_ROUNDS = 6;
const LINES_PER_ROUND = 1500;
/** Fixed, like the API fuzz test's: a failure replays exactly; round r uses SEED + r. */
const SEED = 20261130;

/**
 * Hostile input for the real edge producer, generated from a seed: every line's fate is known
 * by construction (the customer it belongs to, or the one reason it must be dropped). Each
 * round is a fresh process fed over stdin in randomly cut chunks; then every customer topic is
 * read back. Extends edge-routing.spec.ts (fixed cases) with random ones.
 */
describe('edge producer fuzzed with hostile input', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-fuzz')));
  const root = `fz${randomToken()}`;
  const id = (s: string): CustomerId => parseCustomerId(s);
  // Ids that prefix and extend each other, so a router matching prefixes would misroute.
  const customers = {
    enabled: [id(root), id(`${root}-a`), id(`${root}-a1`), id(`${root}1`), id(`${root}a`)],
    disabled: [id(`${root}-off`), id(`${root}-a1-off`)],
    unknown: [
      root.slice(0, -1),
      `${root}-b`,
      `${root}-a12`,
      `${root}-a1-x`,
      `${root}9`,
      `${root}-o`,
    ],
  };

  before(async () => {
    await bed.start();
    for (const c of customers.enabled) await bed.customer(c, true, 1, 1);
    for (const c of customers.disabled) await bed.customer(c, false, 1, 1);
  });
  after(() => bed.stop());

  it('never crashes, never misroutes, and delivers or counts every line exactly once', async () => {
    const started = Date.now();
    const expected = new Map<string, Buffer[]>(
      [...customers.enabled, ...customers.disabled].map((c) => [customerTopic(c), []]),
    );
    const totals = { read: 0, routed: 0, bytes: 0, rounds: 0 };
    for (
      let round = 0;
      round < MAX_ROUNDS && (round === 0 || Date.now() - started < BUDGET_MS);
      round++
    ) {
      const gen = new HostileLineGenerator(seededRandom(SEED + round), customers);
      const { bytes, fates } = gen.input(LINES_PER_ROUND);
      const edge = startEdge(['--source', 'stdin'], { stdin: 'pipe' });
      await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry');
      for (const chunk of gen.chunks(bytes)) {
        if (!edge.stdin.write(chunk)) await new Promise((r) => edge.stdin.once('drain', r));
      }
      edge.stdin.end();
      const exit = await edge.waitForExit(60_000).catch((err: Error) => {
        edge.kill('SIGKILL');
        throw new Error(`${err.message}, seed ${SEED + round}:\n${edge.raw.slice(-8).join('\n')}`);
      });
      assert.equal(
        exit.code,
        0,
        `round ${round} (seed ${SEED + round}): ${edge.raw.slice(-5).join('\n')}`,
      );

      const want = tally(fates);
      const c = finalCounters(edge);
      const droppedBy = c.droppedBy as Record<DropReason, number>;
      const context = `round ${round}, seed ${SEED + round}`;
      assert.equal(c.read, fates.length, `${context}: lines read`);
      assert.equal(c.routed, want.routed, `${context}: lines routed`);
      assert.deepEqual(droppedBy, want.droppedBy, `${context}: drops by reason`);
      const dropped = Object.values(droppedBy).reduce((a, b) => a + b, 0);
      assert.equal(Number(c.routed) + dropped, c.read, `${context}: every line counted once`);
      assert.equal(c.produceErrors, 0, context);
      for (const f of fates)
        if ('routedTo' in f) expected.get(customerTopic(f.routedTo))?.push(f.value);
      totals.read += fates.length;
      totals.routed += want.routed;
      totals.bytes += bytes.length;
      totals.rounds++;
    }

    const topics = [...expected.keys()];
    const got = await readTopicsInGroup(loadKafkaConfig('kcat').brokers, topics, `${root}.fuzz`);
    for (const topic of topics) {
      const values = got.get(topic) ?? [];
      const want = expected.get(topic) ?? [];
      assert.equal(values.length, want.length, `${topic}: number of lines`);
      values.forEach((v, i) =>
        assert.ok(v.equals(want[i]), `${topic} line ${i}: ${v.subarray(0, 40).toString('latin1')}`),
      );
    }
    recordFigures(
      __filename,
      'fuzzed edge input',
      `edge fuzz: ${totals.rounds} rounds, ${totals.read} lines (${(totals.bytes / 1048576).toFixed(1)} MiB) read, ` +
        `${totals.routed} delivered byte for byte to their own topic, ${totals.read - totals.routed} dropped and counted once, 0 crashes, 0 misrouted`,
    );
  });
});

function tally(fates: readonly LineFate[]): {
  routed: number;
  droppedBy: Record<DropReason, number>;
} {
  const droppedBy = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<
    DropReason,
    number
  >;
  let routed = 0;
  for (const f of fates) {
    if ('routedTo' in f) routed++;
    else droppedBy[f.dropped]++;
  }
  return { routed, droppedBy };
}
