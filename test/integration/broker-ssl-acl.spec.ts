import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kafka, Partitioners } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, customerConsumerAcls, KafkaAdminService } from '@logstream/kafka';
import { CertificateAuthority } from '@logstream/pki';
import { consumerGroupPrefix, credentialPrincipal, customerTopic } from '@logstream/tenancy';
import { randomCustomerId, randomToken } from '../support/ids';
import { kcatSsl } from '../support/kcat';
import { eventually } from '../support/process';
import { type ClientFiles, loadDevCa, writeClientCertificate } from '../support/test-pki';

describe('the real broker: SSL listener, client certificates and ACLs', () => {
  let kafka: Kafka;
  let admin: KafkaAdminService;
  const a = randomCustomerId();
  const b = randomCustomerId();
  const message = `GET /index.html 200 ${randomToken()}`;
  let clientA: ClientFiles;
  let clientB: ClientFiles;
  let brokerCaFile: string;

  before(async () => {
    kafka = createKafkaClient(loadKafkaConfig('logstream-test'));
    admin = new KafkaAdminService(kafka);
    await admin.connect();
    const { ca, caFile } = await loadDevCa();
    brokerCaFile = caFile;
    clientA = await writeClientCertificate(ca, caFile, credentialPrincipal(a, randomToken()));
    clientB = await writeClientCertificate(ca, caFile, credentialPrincipal(b, randomToken()));
    for (const id of [a, b]) {
      await admin.ensureTopic({
        name: customerTopic(id),
        partitions: 1,
        replicationFactor: 1,
        configs: {},
      });
    }
    await admin.createAcls([
      ...customerConsumerAcls(clientA.principal, a),
      ...customerConsumerAcls(clientB.principal, b),
    ]);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: customerTopic(a), messages: [{ value: message }] });
    await producer.disconnect();
  });

  after(async () => {
    await admin.deleteAcls([
      ...customerConsumerAcls(clientA.principal, a),
      ...customerConsumerAcls(clientB.principal, b),
    ]);
    for (const id of [a, b]) await admin.deleteTopic(customerTopic(id));
    await admin.disconnect();
  });

  it("lets A's certificate consume its own topic with kcat, in a group under its prefix", async () => {
    const consumed = await eventually(
      async () => {
        const res = await kcatSsl(
          clientA,
          [
            '-C',
            '-G',
            `${consumerGroupPrefix(a)}kcat`,
            '-X',
            'auto.offset.reset=earliest',
            '-c',
            '1',
            '-f',
            '%s\n',
            customerTopic(a),
          ],
          15_000,
        );
        return res.code === 0 ? res.stdout : undefined;
      },
      'the ACLs of A to take effect',
      30_000,
      500,
    );
    assert.equal(consumed, `${message}\n`);
  });

  it("denies B's certificate A's topic with a topic authorization error", async () => {
    const res = await kcatSsl(clientB, ['-C', '-t', customerTopic(a), '-o', 'beginning', '-e']);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /Topic authorization failed/i);
    assert.doesNotMatch(res.stdout, new RegExp(message));
  });

  it("denies B's certificate A's consumer groups", async () => {
    const res = await kcatSsl(
      clientB,
      [
        '-C',
        '-G',
        `${consumerGroupPrefix(a)}stolen`,
        '-X',
        'auto.offset.reset=earliest',
        '-c',
        '1',
        customerTopic(b),
      ],
      10_000,
    );
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /Group authorization failed/i);
  });

  it('fails the TLS handshake for a certificate from another CA', async () => {
    const otherCa = CertificateAuthority.generate('Not The Logstream CA', 1);
    const impostor = await writeClientCertificate(otherCa, brokerCaFile, clientA.principal);
    const res = await kcatSsl(impostor, ['-L', '-m', '5'], 15_000);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /SSL|certificate|handshake/i);
    assert.doesNotMatch(res.stdout, new RegExp(customerTopic(a)));
  });

  it('fails the TLS handshake with no client certificate', async () => {
    const res = await kcatSsl({ caFile: brokerCaFile }, ['-L', '-m', '5'], 15_000);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /bad certificate|certificate required|handshake/i);
  });
});
