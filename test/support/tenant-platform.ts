import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { type Kafka, Partitioners } from 'kafkajs';
import { loadKafkaConfig } from '@logstream/config';
import { createKafkaClient, KafkaAdminService } from '@logstream/kafka';
import { currentCustomerAcls } from '@logstream/provisioning';
import { customerTopic, type CustomerId } from '@logstream/tenancy';
import type { AppProcess } from './app-process';
import { unzipBundle } from './bundle-examples';
import {
  ADMIN,
  bearer,
  binaryBody,
  controlApiTestConfig,
  startControlApi,
  type TestApi,
} from './control-api';
import { createScratchDatabase, type ScratchDatabase } from './database';
import { randomCustomerId, randomToken } from './ids';
import { eventually } from './process';
import { randomLockKey, startProvisioner } from './provisioner';
import type { ClientFiles } from './test-pki';

/** One credential as the customer holds it: the files of its unzipped bundle. */
export interface BundleCredential extends ClientFiles {
  id: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A customer made the way production makes one: through the control API only. */
export interface ApiCustomer {
  id: CustomerId;
  topic: string;
  /** Its display name, unique to this run: seeing it anywhere else is a leak. */
  name: string;
  token: string;
  auth: { Authorization: string };
  credentials: BundleCredential[];
  /** The line the platform wrote to its topic; seeing it anywhere else is a leak. */
  secretLine: string;
}

export interface StreamingStatus {
  enabled: boolean;
  state: string;
  topic: string;
  bootstrapServers: string[];
  generation: number;
  observedGeneration: number;
  lastError: string | null;
}

/**
 * The platform as production runs it, on a database of its own: a real provisioner process,
 * the real control API, the shared real broker. Tests create customers through the API and
 * get back what a customer gets (a token, unzipped credential bundles).
 */
export class TenantPlatform {
  readonly customers: ApiCustomer[] = [];
  /** Consumer groups the test used; deleted on close. */
  readonly groups: string[] = [];
  private readonly tempDirs: string[] = [];

  private constructor(
    readonly scratch: ScratchDatabase,
    readonly provisioner: AppProcess,
    readonly api: TestApi,
    /** The platform's own Kafka client (loopback PLAINTEXT, a super user): to check, not to attack. */
    readonly kafka: Kafka,
    readonly admin: KafkaAdminService,
  ) {}

  /** `env`: extra settings of the control API (e.g. the panel's limits); `provisionerEnv`: its. */
  static async start(
    purpose: string,
    env: Record<string, string> = {},
    provisionerEnv: Record<string, string> = {},
  ): Promise<TenantPlatform> {
    const scratch = await createScratchDatabase(purpose);
    const provisioner = startProvisioner(scratch, randomLockKey(), provisionerEnv);
    let api: TestApi;
    try {
      api = await startControlApi(
        controlApiTestConfig({ LOGSTREAM_DATABASE_URL: scratch.url, ...env }),
      );
    } catch (err) {
      await provisioner.stop();
      await scratch.drop();
      throw err;
    }
    const kafka = createKafkaClient(loadKafkaConfig('logstream-isolation-test'));
    const platform = new TenantPlatform(
      scratch,
      provisioner,
      api,
      kafka,
      new KafkaAdminService(kafka),
    );
    try {
      await platform.admin.connect();
      await provisioner.waitForLog((l) => l.msg === 'leadership acquired', 'leadership');
    } catch (err) {
      await platform.close();
      throw err;
    }
    return platform;
  }

  /**
   * Admin creates the customer and a customer token; the customer (with that token) switches
   * streaming on and downloads `credentials` bundles. Then the platform writes one line to the
   * customer's topic. Does not wait for `active`: see {@link waitUntilSettled}.
   */
  async createCustomer(prefix: string, credentials: number): Promise<ApiCustomer> {
    const http = () => this.api.http();
    const id = randomCustomerId(prefix);
    const name = `Tenant ${id} ${randomToken()}`;
    const created = await http().post('/v1/customers').set(ADMIN).send({ id, name });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const customer: ApiCustomer = {
      id,
      topic: customerTopic(id),
      name,
      token: '',
      auth: { Authorization: '' },
      credentials: [],
      secretLine: `203.0.113.7 "GET /private/${id}/${randomToken()} HTTP/1.1" 200`,
    };
    this.customers.push(customer);
    const issued = await http().post(`/v1/customers/${id}/tokens`).set(ADMIN);
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    customer.token = (issued.body as { token: string }).token;
    customer.auth = bearer(customer.token);
    const on = await http().put(`/v1/customers/${id}/streaming`).set(customer.auth).send({
      enabled: true,
    });
    assert.equal(on.status, 202, JSON.stringify(on.body));
    for (let i = 0; i < credentials; i++) customer.credentials.push(await this.download(customer));
    return customer;
  }

  /** POST credentials with the customer's own token, unzipped as the bundle's README says. */
  private async download(customer: ApiCustomer): Promise<BundleCredential> {
    const res = await this.api
      .http()
      .post(`/v1/customers/${customer.id}/credentials`)
      .set(customer.auth)
      .buffer(true)
      .parse(binaryBody);
    assert.equal(res.status, 201, String(res.body));
    const credentialId = String(res.headers['x-credential-id']);
    const dir = await mkdtemp(path.join(tmpdir(), `logstream-iso-${customer.id}-`));
    this.tempDirs.push(dir);
    const root = await unzipBundle(
      Readable.from(res.body as Buffer),
      dir,
      `${customer.id}-logstream`,
    );
    const files = {
      caFile: path.join(root, 'ca.pem'),
      certFile: path.join(root, 'client.pem'),
      keyFile: path.join(root, 'client.key'),
    };
    return {
      id: credentialId,
      principal: `customer.${customer.id}.${credentialId}`,
      dir: root,
      ...files,
      caPem: await readFile(files.caFile, 'utf8'),
      certPem: await readFile(files.certFile, 'utf8'),
      keyPem: await readFile(files.keyFile, 'utf8'),
    };
  }

  async streaming(id: CustomerId): Promise<StreamingStatus> {
    const res = await this.api.http().get(`/v1/customers/${id}/streaming`).set(ADMIN);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as StreamingStatus;
  }

  /** Waits, through the API as a customer would, until the provisioner settled on `state`. */
  async waitUntilSettled(id: CustomerId, state: string, timeoutMs = 30_000): Promise<void> {
    let last: StreamingStatus | undefined;
    try {
      await eventually(
        async () => {
          last = await this.streaming(id);
          return last.state === state && last.observedGeneration === last.generation
            ? true
            : undefined;
        },
        `customer ${id} to be ${state}`,
        timeoutMs,
        200,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
    }
  }

  /** Writes each customer's secret line to its topic, as the edge producer would. */
  async writeSecretLines(): Promise<void> {
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      for (const c of this.customers) {
        await producer.send({ topic: c.topic, messages: [{ value: c.secretLine }] });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** The topic's end offset per partition, read by the platform. */
  async endOffsets(topic: string): Promise<string[]> {
    const kafkaAdmin = this.kafka.admin();
    await kafkaAdmin.connect();
    try {
      return (await kafkaAdmin.fetchTopicOffsets(topic)).map((p) => `${p.partition}:${p.high}`);
    } finally {
      await kafkaAdmin.disconnect();
    }
  }

  /** Lines the topic holds: the sum of its partitions' end offsets. */
  async storedLines(topic: string): Promise<number> {
    return (await this.endOffsets(topic)).reduce((n, p) => n + Number(p.split(':')[1]), 0);
  }

  /** Every consumer group id on the broker. */
  async groupIds(): Promise<string[]> {
    const kafkaAdmin = this.kafka.admin();
    await kafkaAdmin.connect();
    try {
      return (await kafkaAdmin.listGroups()).groups.map((g) => g.groupId);
    } finally {
      await kafkaAdmin.disconnect();
    }
  }

  private async deleteGroups(): Promise<void> {
    if (this.groups.length === 0) return;
    const kafkaAdmin = this.kafka.admin();
    await kafkaAdmin.connect();
    try {
      const existing = new Set((await kafkaAdmin.listGroups()).groups.map((g) => g.groupId));
      const ours = this.groups.filter((g) => existing.has(g));
      if (ours.length > 0) await kafkaAdmin.deleteGroups(ours);
    } finally {
      await kafkaAdmin.disconnect();
    }
  }

  /**
   * Deletes the customers through the API and waits for the provisioner to deprovision them
   * (registry tombstoned, ACLs and topic gone, row removed); whatever it could not finish in
   * time is removed directly. Then stops everything and drops the scratch database.
   */
  async close(): Promise<void> {
    const ids = this.customers.map((c) => c.id);
    // Each step runs even when an earlier one failed, so one problem leaves nothing else behind.
    const step = (what: string, fn: () => Promise<unknown>) =>
      fn().catch((err: unknown) => console.log(`cleanup: ${what}: ${(err as Error).message}`));
    await step('deprovision through the API', async () => {
      for (const id of ids) await this.api.http().delete(`/v1/customers/${id}`).set(ADMIN);
      await eventually(
        async () => {
          const rows: unknown[] = await this.scratch.db.query(
            'SELECT id FROM customers WHERE id = ANY($1)',
            [ids],
          );
          return rows.length === 0 ? true : undefined;
        },
        'the provisioner to deprovision the test customers',
        30_000,
        250,
      );
    });
    await step('stop the provisioner', () => this.provisioner.stop());
    await step('stop the API', () => this.api.close());
    await step('remove leftover ACLs and topics', async () => {
      for (const id of ids) {
        await this.admin.deleteAcls(await currentCustomerAcls(this.admin, id));
        await this.admin.deleteTopic(customerTopic(id));
      }
    });
    await step('delete consumer groups', () => this.deleteGroups());
    await step('disconnect', () => this.admin.disconnect());
    await step('drop the scratch database', () => this.scratch.drop());
    for (const dir of this.tempDirs) await rm(dir, { recursive: true, force: true });
  }
}
