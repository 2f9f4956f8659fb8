import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { DatabaseHealthService, READINESS_CACHE_MS } from './database-health.service';

function database(fail: () => Error | undefined) {
  const counter = { queries: 0 };
  const db = {
    query: async () => {
      counter.queries++;
      await new Promise((r) => setTimeout(r, 10));
      const err = fail();
      if (err) throw err;
      return [{ '?column?': 1 }];
    },
  } as unknown as DataSource;
  return { db, counter };
}

describe('DatabaseHealthService.isUp', () => {
  it('answers a flood of probes with one query per period, shared while in flight', async () => {
    const { db, counter } = database(() => undefined);
    const health = new DatabaseHealthService(db);
    const answers = await Promise.all(Array.from({ length: 50 }, () => health.isUp()));
    assert.ok(answers.every((a) => a.up));
    assert.equal(counter.queries, 1);
    await health.isUp();
    assert.equal(counter.queries, 1, 'cached');
    await health.isUp(Date.now() + READINESS_CACHE_MS + 1);
    assert.equal(counter.queries, 2, 'asked again once the period is over');
  });

  it("reports down with the driver's error for the log", async () => {
    const { db } = database(() => new Error('connect ECONNREFUSED 10.9.8.7:5432'));
    const health = new DatabaseHealthService(db);
    const answer = await health.isUp();
    assert.equal(answer.up, false);
    assert.match(String((answer.error as Error).message), /ECONNREFUSED/);
  });
});
