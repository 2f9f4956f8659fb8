import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@logstream/config';
import { build } from 'esbuild';

describe('the edge bundle (npm run build:edge)', () => {
  it('holds no kafkajs and none of the libs built on it', async () => {
    // The same entry point and externals as scripts/build-edge.sh, kept in memory.
    const result = await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: ['apps/edge-producer/src/main.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      external: ['node-rdkafka'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(
      inputs.some((i) => i.startsWith('libs/edge/src/')),
      'the metafile lists the bundled sources',
    );
    const forbidden = inputs.filter((i) =>
      /(^|\/)node_modules\/kafkajs\/|^libs\/(kafka|provisioning|persistence)\//.test(i),
    );
    assert.deepEqual(forbidden, [], 'the edge ships librdkafka only');
  });
});
