import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseCustomerId } from '@logstream/tenancy';
import { clientSnippets, SNIPPET_P12_PASSWORD } from './client-snippets.factory';

describe('clientSnippets', () => {
  const snippets = clientSnippets({
    customerId: parseCustomerId('acme'),
    bootstrapServers: ['kafka1.example.net:9094', 'kafka2.example.net:9094'],
  });

  it('gives one snippet per client, each on the customer topic and a group of its own', () => {
    assert.deepEqual(Object.keys(snippets).sort(), [
      'filebeat',
      'java',
      'kcat',
      'logstash',
      'node',
      'python',
    ]);
    for (const [tool, text] of Object.entries(snippets)) {
      assert.doesNotMatch(text, /\{\{/, tool);
      assert.ok(
        text.includes('kafka1.example.net:9094,kafka2.example.net:9094') || tool === 'filebeat',
        tool,
      );
      if (tool !== 'java') assert.ok(text.includes('cdn-logs.acme'), tool);
      assert.ok(text.includes(`acme.${tool}`), tool);
      for (const m of text.matchAll(/cdn-logs\.([a-z0-9-]+)/g)) assert.equal(m[1], 'acme', tool);
    }
    assert.ok(snippets.java.includes(`ssl.keystore.password=${SNIPPET_P12_PASSWORD}`));
  });

  it('are code that parses: shell, Python, JavaScript and YAML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logstream-snippets-'));
    try {
      const files = { 'kcat.sh': snippets.kcat, 'c.py': snippets.python, 'c.mjs': snippets.node };
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      for (const [cmd, args] of [
        ['bash', ['-n', 'kcat.sh']],
        ['python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', 'c.py']],
        [process.execPath, ['--check', 'c.mjs']],
      ] as const) {
        const res = spawnSync(cmd, [...args], { cwd: dir, encoding: 'utf8' });
        assert.equal(res.status, 0, res.stderr);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const doc = parseYaml(snippets.filebeat) as { 'filebeat.inputs': { hosts: string[] }[] };
    assert.deepEqual(doc['filebeat.inputs'][0].hosts, [
      'kafka1.example.net:9094',
      'kafka2.example.net:9094',
    ]);
  });
});
