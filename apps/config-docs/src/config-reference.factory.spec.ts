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
});
