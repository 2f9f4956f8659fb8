import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantRecord } from '@logstream/registry';
import { CUSTOMER_ID_PATTERN, type CustomerId } from '@logstream/tenancy';
import { forAllSeeds, type Gen } from '../../../test/support/property';
import { BYTE_CLASS, BYTE_INVALID, BYTE_SPACE, hashIdBytes } from './customer-id-bytes.rules';
import { DROP_REASONS, dropCode, type DropReason, ROUTED } from './drop-reason.types';
import { LineRouter } from './line-router.rules';
import { TenantTable } from './tenant-table.index';

const ENABLED = ['acme', 'a', 'b2', 'x-y', 'acme-eu', 'z'.repeat(63)];
const DISABLED = ['off', 'acme-e'];

function table(): TenantTable {
  const t = new TenantTable();
  for (const id of ENABLED)
    t.apply({ kind: 'upsert', record: tenantRecord(id as CustomerId, true, 1) });
  for (const id of DISABLED)
    t.apply({ kind: 'upsert', record: tenantRecord(id as CustomerId, false, 1) });
  return t;
}

type Expected = { routed: string; value: string } | { dropped: DropReason };

/** The contract read plainly: split at the first space, the id checked by the regex. */
function reference(line: string, maxLineBytes: number): Expected {
  if (line.length === 0) return { dropped: 'malformed' };
  if (line.length > maxLineBytes) return { dropped: 'oversize' };
  const space = line.indexOf(' ');
  if (space <= 0 || space === line.length - 1) return { dropped: 'malformed' };
  const id = line.slice(0, space);
  if (!CUSTOMER_ID_PATTERN.test(id)) return { dropped: 'invalid_id' };
  if (DISABLED.includes(id)) return { dropped: 'inactive' };
  if (!ENABLED.includes(id)) return { dropped: 'unknown_customer' };
  return { routed: id, value: line.slice(space + 1) };
}

function randomId(g: Gen): string {
  const r = g.next();
  if (r < 0.4) return g.pick([...ENABLED, ...DISABLED]);
  const alphabet = r < 0.8 ? 'abz09-' : 'abz09-A_.\u00e9\u0000\t!';
  const length = g.pick([0, 1, 2, 3, 62, 63, 64, 65, g.int(1, 80)]);
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[g.int(0, alphabet.length - 1)];
  return id;
}

function randomLine(g: Gen): string {
  const id = randomId(g);
  const sep = g.pick([' ', ' ', ' ', '  ', '', '\t']);
  const value = g.pick(['', 'x', 'GET / 200', ' lead', 'a b c', 'y'.repeat(g.int(0, 50))]);
  return g.next() < 0.05 ? ` ${id}${sep}${value}` : `${id}${sep}${value}`;
}

function route(router: LineRouter, line: string, g: Gen): Expected {
  // The line sits at a random place inside a bigger buffer, as it does inside a read chunk.
  const pad = g.int(0, 5);
  const buf = Buffer.concat([
    Buffer.alloc(pad, 0x20),
    Buffer.from(line, 'latin1'),
    Buffer.from('\n z'),
  ]);
  const outcome = router.route(buf, pad, pad + line.length);
  if (outcome !== ROUTED) return { dropped: DROP_REASONS[outcome] };
  return {
    routed: (router.tenant as NonNullable<LineRouter['tenant']>).id,
    value: buf.toString('latin1', router.valueStart, pad + line.length),
  };
}

describe('LineRouter (property: the same decision as the contract read plainly)', () => {
  it('routes or drops random lines exactly as a split at the first space and the id regex', () => {
    const t = table();
    forAllSeeds(300, (g) => {
      const max = g.pick([70, 200, 1000]);
      const router = new LineRouter(t, max);
      for (let i = 0; i < 100; i++) {
        const line = randomLine(g);
        assert.deepEqual(route(router, line, g), reference(line, max), JSON.stringify(line));
      }
    });
  });
});

describe('customer id grammar: the byte table and the tenancy regex agree', () => {
  it('on every byte, alone and at the start, middle and end of an id', () => {
    const router = new LineRouter(new TenantTable(), 1000);
    for (let b = 0; b < 256; b++) {
      const c = String.fromCharCode(b);
      assert.equal(
        BYTE_CLASS[b] !== BYTE_INVALID && BYTE_CLASS[b] !== BYTE_SPACE,
        /^[a-z0-9-]$/.test(c),
        `byte ${b}`,
      );
      if (b === 0x20) continue;
      for (const id of [c, `${c}ab`, `a${c}b`, `ab${c}`]) {
        const outcome = router.route(Buffer.from(`${id} v`, 'latin1'), 0, id.length + 2);
        const accepted = outcome === DROP_REASONS.indexOf('unknown_customer');
        assert.equal(
          accepted,
          CUSTOMER_ID_PATTERN.test(id),
          `id ${JSON.stringify(id)} (byte ${b})`,
        );
      }
    }
  });

  it('on random strings of every length up to past the limit', () => {
    const router = new LineRouter(new TenantTable(), 1000);
    forAllSeeds(20_000, (g) => {
      const id = randomId(g);
      if (id.includes(' ') || id.length === 0) return;
      const outcome = router.route(Buffer.from(`${id} v`, 'latin1'), 0, id.length + 2);
      assert.equal(
        outcome === DROP_REASONS.indexOf('unknown_customer'),
        CUSTOMER_ID_PATTERN.test(id),
        JSON.stringify(id),
      );
    });
  });

  it('the router hashes an id as the tenant table does (one hash)', () => {
    const t = table();
    const router = new LineRouter(t, 1000);
    for (const id of ENABLED) {
      assert.equal(router.route(Buffer.from(`${id} v`), 0, id.length + 2), ROUTED);
      assert.equal(router.tenant?.hash, hashIdBytes(Buffer.from(id), 0, id.length));
    }
  });

  it('names the known customer of an oversize line from its head, and no other', () => {
    const router = new LineRouter(table(), 100);
    const owner = (line: string, oversize = true) => {
      const buf = Buffer.from(line, 'latin1');
      assert.equal(router.route(buf, 0, buf.length, oversize), dropCode('oversize'));
      return router.tenant?.id;
    };
    assert.equal(owner('acme ' + 'x'.repeat(200), false), 'acme');
    assert.equal(owner('acme '), 'acme');
    assert.equal(owner('off '), 'off');
    assert.equal(owner(`${'z'.repeat(63)} `), 'z'.repeat(63));
    for (const line of ['nobody x', '-acme x', 'ACME x', ' acme', '', 'acme']) {
      assert.equal(owner(line), undefined, line);
    }
  });
});
