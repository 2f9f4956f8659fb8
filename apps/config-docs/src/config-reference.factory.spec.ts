import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@logstream/config';
import {
  CONFIG_REFERENCE_PATH,
  configurationReference,
  configurationRows,
} from './config-reference.factory';

describe('docs/configuration.md', () => {
  it('is what the loaders read today (run `npm run docs:config` after changing one)', () => {
    const committed = readFileSync(path.join(REPO_ROOT, CONFIG_REFERENCE_PATH), 'utf8');
    assert.equal(committed, configurationReference());
  });

  it('says what every variable means, and holds the ones each app is known to read', () => {
    const rows = configurationRows();
    for (const row of rows) assert.ok(row.meaning, `${row.name} has no meaning in the reference`);
    const names = rows.map((r) => r.name);
    for (const name of [
      'LOGSTREAM_DATABASE_URL',
      'LOGSTREAM_API_PORT',
      'LOGSTREAM_PROVISIONER_CONCURRENCY',
      'LOGSTREAM_EDGE_SOURCE',
      'LOGSTREAM_EDGE_LINGER_MS',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  it("gives each app's probe server a default port of its own, so all of them run on one host", () => {
    const ports = configurationRows()
      .filter((r) => /_HTTP_PORT$|^LOGSTREAM_API_PORT$/.test(r.name))
      .map((r) => `${r.fallback} ${r.name}`);
    assert.ok(ports.length >= 5, ports.join(', '));
    const byPort = new Map<string, string[]>();
    for (const entry of ports) {
      const [port, name] = entry.split(' ');
      byPort.set(port, [...(byPort.get(port) ?? []), name]);
    }
    for (const [port, names] of byPort)
      assert.equal(names.length, 1, `${port}: ${names.join(', ')}`);
  });
});
