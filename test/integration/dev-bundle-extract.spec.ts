import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { bundleRoot, credentialBundleStream } from '@logstream/bundle';
import { bundleInput, testCa } from '../../libs/bundle/src/testing/bundle-input.factory';
import { run } from '../support/process';

const REPO = path.resolve(__dirname, '../../..');

/** Issue #17, item 16: `npm run dev` unzipped the demo bundle with client.key readable by all. */
describe('scripts/extract-bundle.sh (the demo bundle of npm run dev)', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'logstream-extract-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the key, the keystore and its password to the owner, under a permissive umask', async () => {
    const input = bundleInput(testCa(), 'extract-acme');
    const zip = path.join(dir, 'bundle.zip');
    await pipeline(credentialBundleStream(input), createWriteStream(zip));
    const dest = path.join(dir, 'out');
    // As a developer's shell usually has it: files readable by everyone unless told otherwise.
    const res = await run('bash', [
      '-c',
      `umask 022 && bash "${REPO}/scripts/extract-bundle.sh" "${zip}" "${dest}"`,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const root = path.join(dest, bundleRoot(input));
    const mode = async (file: string) => (await stat(path.join(root, file))).mode & 0o777;
    for (const secret of ['client.key', 'client.p12', 'README.md', 'client.properties']) {
      assert.equal((await mode(secret)).toString(8), '600', secret);
    }
    assert.equal((await mode('examples/kcat.sh')).toString(8), '755');
    assert.equal((await mode('.')).toString(8), '700', 'the bundle folder');
    assert.equal((await mode('examples')).toString(8), '700');
    for (const file of await readdir(root, { recursive: true })) {
      assert.equal((await mode(file)) & 0o022, 0, `${file} is writable by others`);
    }
  });
});
