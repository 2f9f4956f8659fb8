import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_INSTALL_DIR, parseEdgeAdminArgs } from './edge-admin-args.rules';

function problems(argv: string[]): string[] {
  const cmd = parseEdgeAdminArgs(argv);
  assert.equal(cmd.kind, 'invalid', JSON.stringify(cmd));
  return cmd.kind === 'invalid' ? cmd.problems : [];
}

describe('edge-admin arguments', () => {
  it('reads the three commands and help', () => {
    assert.deepEqual(parseEdgeAdminArgs(['enroll', 'fra1', '--out', 'b']), {
      kind: 'enroll',
      name: 'fra1',
      outDir: path.resolve('b'),
      installDir: DEFAULT_INSTALL_DIR,
    });
    assert.deepEqual(
      parseEdgeAdminArgs(['enroll', '--out=/tmp/x', 'fra1', '--install-dir', '/opt/e']),
      { kind: 'enroll', name: 'fra1', outDir: '/tmp/x', installDir: '/opt/e' },
    );
    assert.deepEqual(parseEdgeAdminArgs(['list']), { kind: 'list', json: false });
    assert.deepEqual(parseEdgeAdminArgs(['list', '--json']), { kind: 'list', json: true });
    assert.deepEqual(parseEdgeAdminArgs(['revoke', 'fra1']), { kind: 'revoke', name: 'fra1' });
    assert.deepEqual(parseEdgeAdminArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseEdgeAdminArgs(['revoke', '-h']), { kind: 'help' });
  });

  it('names every problem with a command at once', () => {
    assert.deepEqual(problems([]), ['a command is needed: enroll, list or revoke']);
    assert.deepEqual(problems(['add', 'x']), [
      'unknown command "add": use enroll, list or revoke (see --help)',
    ]);
    assert.deepEqual(problems(['enroll']), [
      'enroll needs a node name (see --help)',
      'enroll needs --out <dir>: where the node bundle is written',
    ]);
    assert.deepEqual(problems(['enroll', 'Fra_1', '--out']), [
      '--out needs a value',
      'invalid node name "Fra_1": it must be lowercase',
    ]);
    assert.deepEqual(problems(['enroll', 'fra1', 'fra2', '--out', 'b', '--force']), [
      'unknown option --force (see --help)',
      'unexpected argument "fra2"',
    ]);
    assert.deepEqual(problems(['enroll', 'fra1', '--out', 'b', '--install-dir', 'etc']), [
      '--install-dir must be an absolute path on the node, got "etc"',
    ]);
    assert.match(problems(['enroll', 'x'.repeat(50), '--out', 'b'])[0], /at most 49 characters/);
    assert.deepEqual(problems(['revoke']), ['revoke needs a node name (see --help)']);
    assert.deepEqual(problems(['revoke', 'a', 'b']), ['unexpected argument "b"']);
    assert.deepEqual(problems(['list', '--all']), ['unknown option --all (see --help)']);
  });
});
