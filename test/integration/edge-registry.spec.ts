import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadKafkaConfig, loadPathsConfig } from '@logstream/config';
import { createKafkaClient, edgeProducerAcls } from '@logstream/kafka';
import { PLATFORM_PRINCIPALS } from '@logstream/pki';
import { customerTopic } from '@logstream/tenancy';
import { EdgeTestBed, readTopic, startEdge } from '../support/edge';
import { randomCustomerId } from '../support/ids';

describe('edge producer over SSL, following the tenant registry', () => {
  const bed = new EdgeTestBed(createKafkaClient(loadKafkaConfig('edge-test')));
  const acls = edgeProducerAcls(PLATFORM_PRINCIPALS.edge);

  before(async () => {
    await bed.start();
    // Exactly what the provisioner grants an edge principal, and nothing more.
    await bed.admin.createAcls(acls);
  });
  after(() => bed.stop());

  it('routes a customer within a second of being enabled and stops within a second of being disabled', async () => {
    const id = randomCustomerId('toggle');
    await bed.customer(id, false, 1, 1);
    const pki = loadPathsConfig().pkiDir;
    const edge = startEdge(
      [
        '--source',
        'stdin',
        '--brokers',
        loadKafkaConfig('edge-test').customerBootstrap.join(','),
        '--ca-file',
        path.join(pki, 'ca.pem'),
        '--cert-file',
        path.join(pki, 'edge.pem'),
        '--key-file',
        path.join(pki, 'edge.key'),
      ],
      { stdin: 'pipe' },
    );
    await edge.waitForLog((l) => l.msg === 'tenant registry caught up', 'the registry over SSL');

    let seq = 0;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        edge.stdin.write(`${id} seq=${seq++} sent=${Date.now()}\n`);
        await sleep(10);
      }
      edge.stdin.end();
    })();
    await sleep(1500);
    await bed.setEnabled(id, true, 2);
    const enabledAt = Date.now();
    await sleep(3000);
    await bed.setEnabled(id, false, 3);
    const disabledAt = Date.now();
    await sleep(2000);
    sending = false;
    await sender;
    const exit = await edge.waitForExit(30_000);
    assert.equal(exit.code, 0, edge.raw.slice(-5).join('\n'));

    const sent = (await readTopic(customerTopic(id))).map(([, v]) =>
      Number(/sent=(\d+)/.exec(v)?.[1]),
    );
    assert.ok(sent.length > 100, `${sent.length} lines routed while enabled`);
    assert.ok(
      sent.every((t) => t >= enabledAt - 1000),
      'no line routed long before the enable',
    );
    assert.ok(
      sent.every((t) => t <= disabledAt + 1000),
      'no line routed more than a second after the disable',
    );
    const routedFrom = Math.min(...sent) - enabledAt;
    const routedUntil = Math.max(...sent) - disabledAt;
    assert.ok(routedFrom < 1000, `routing began ${routedFrom} ms after the enable`);
    assert.ok(routedUntil > -1000, `routing ended ${-routedUntil} ms before the disable`);
    // Between the two switches, every line arrived: nothing lost while routing.
    const seqs = (await readTopic(customerTopic(id))).map(([, v]) =>
      Number(/seq=(\d+)/.exec(v)?.[1]),
    );
    for (let i = 1; i < seqs.length; i++)
      assert.equal(seqs[i], seqs[i - 1] + 1, 'a gap in the routed lines');
  });
});
