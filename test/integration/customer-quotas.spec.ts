import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadKafkaConfig } from '@logstream/config';
import {
  ClientQuotasService,
  CONSUMER_BYTE_RATE,
  REQUEST_PERCENTAGE,
  type UserQuota,
} from '@logstream/kafka';
import { customerQuotaUser } from '@logstream/provisioning';
import { ADMIN } from '../support/control-api';
import { fillTopic, type Meter, measureRates, startMeter } from '../support/consumption-meter';
import { eventually } from '../support/process';
import { type ApiCustomer, TenantPlatform } from '../support/tenant-platform';
import { recordFigures } from '../support/test-output';

const KIB = 1024;
const MIB = 1024 * KIB;
/** Customer A's own consumer byte rate, far below what it could fetch. */
const QUOTA_A = MIB;
/** Everyone else's (this test's provisioner default), four times A's. */
const DEFAULT_RATE = 4 * MIB;
const WARMUP_MS = 3_000;

function kib(bytesPerSecond: number): string {
  return `${Math.round(bytesPerSecond / KIB)} KiB/s`;
}
const MEASURE_MS = 12_000;

/** What the broker holds for `user` (undefined: no entity), as the platform reads it. */
async function brokerQuota(
  quotas: ClientQuotasService,
  user: string | null,
): Promise<UserQuota['values'] | undefined> {
  return (await quotas.describeUsers()).find((q) => q.user === user)?.values;
}

describe('client quotas per customer: set through the API, enforced by the broker', () => {
  let platform: TenantPlatform;
  let quotas: ClientQuotasService;
  let a: ApiCustomer;
  let b: ApiCustomer;
  const meters: Meter[] = [];
  let group = 0;
  const meter = async (c: ApiCustomer, credential = 0): Promise<Meter> => {
    const m = await startMeter(c.credentials[credential], c.topic, `${c.id}.meter-${++group}`);
    meters.push(m);
    return m;
  };
  const stopMeters = async () => {
    await Promise.all(meters.splice(0).map((m) => m.stop()));
  };

  before(async () => {
    const defaults = { LOGSTREAM_QUOTA_CONSUMER_BYTE_RATE: String(DEFAULT_RATE) };
    platform = await TenantPlatform.start('quotas', defaults, defaults);
    quotas = new ClientQuotasService(loadKafkaConfig('logstream-quota-test'));
    a = await platform.createCustomer('qa', 2);
    b = await platform.createCustomer('qb', 1);
    await platform.waitUntilSettled(a.id, 'active');
    await platform.waitUntilSettled(b.id, 'active');
    await Promise.all([
      fillTopic(platform.kafka, a.topic, 32),
      fillTopic(platform.kafka, b.topic, 80),
    ]);
  });

  after(async () => {
    await stopMeters();
    await platform?.close();
    // Later specs on this broker start from no default (their provisioners set their own).
    await quotas
      ?.alter([{ user: null, set: {}, remove: [CONSUMER_BYTE_RATE, REQUEST_PERCENTAGE] }])
      .catch(() => undefined);
    quotas?.disconnect();
  });

  it('refuses bad quotas with a 400, lets only admins set them, and shows the customer its own', async () => {
    const http = () => platform.api.http();
    for (const body of [
      { consumerByteRate: 512 * KIB },
      { consumerByteRate: MIB + 0.5 },
      { consumerByteRate: '524288' },
      { requestPercentage: 0 },
      { requestPercentage: 20_000 },
      { somethingElse: 1 },
    ]) {
      const res = await http().put(`/v1/customers/${a.id}/quota`).set(ADMIN).send(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
    }
    const byCustomer = await http()
      .put(`/v1/customers/${a.id}/quota`)
      .set(a.auth)
      .send({ consumerByteRate: 100 * MIB });
    assert.equal(byCustomer.status, 403, JSON.stringify(byCustomer.body));
    const other = await http().get(`/v1/customers/${b.id}/quota`).set(a.auth);
    assert.equal(other.status, 404, "another customer's quota looks like it does not exist");

    const set = await http()
      .put(`/v1/customers/${a.id}/quota`)
      .set(ADMIN)
      .send({ consumerByteRate: QUOTA_A });
    assert.equal(set.status, 202, JSON.stringify(set.body));
    const own = await http().get(`/v1/customers/${a.id}/quota`).set(a.auth);
    assert.equal(own.status, 200);
    assert.deepEqual(own.body, {
      consumerByteRate: QUOTA_A,
      requestPercentage: 100,
      override: { consumerByteRate: QUOTA_A, requestPercentage: null },
    });
    const dflt = await http().get(`/v1/customers/${b.id}/quota`).set(b.auth);
    assert.deepEqual(dflt.body, {
      consumerByteRate: DEFAULT_RATE,
      requestPercentage: 100,
      override: { consumerByteRate: null, requestPercentage: null },
    });
  });

  it('the provisioner sets the default and the override on the broker, and repairs drift', async () => {
    await eventually(
      async () => {
        const own = await brokerQuota(quotas, customerQuotaUser(a.id));
        const dflt = await brokerQuota(quotas, null);
        return own?.[CONSUMER_BYTE_RATE] === QUOTA_A &&
          dflt?.[CONSUMER_BYTE_RATE] === DEFAULT_RATE &&
          dflt[REQUEST_PERCENTAGE] === 100
          ? true
          : undefined;
      },
      "the default and A's override on the broker",
      20_000,
    );
    assert.equal(await brokerQuota(quotas, customerQuotaUser(b.id)), undefined, 'B has no entity');
    // By hand: B given a quota nobody asked for, A's removed. The next resync undoes both.
    await quotas.alter([
      { user: customerQuotaUser(b.id), set: { [CONSUMER_BYTE_RATE]: 1024 }, remove: [] },
      { user: customerQuotaUser(a.id), set: {}, remove: [CONSUMER_BYTE_RATE] },
    ]);
    await eventually(
      async () =>
        (await brokerQuota(quotas, customerQuotaUser(b.id))) === undefined &&
        (await brokerQuota(quotas, customerQuotaUser(a.id)))?.[CONSUMER_BYTE_RATE] === QUOTA_A
          ? true
          : undefined,
      'drift repair of the quota entities',
      20_000,
    );
  });

  it('throttles a customer over its quota to within 20% of it while another customer keeps its rate', async () => {
    const alone = await meter(b);
    const [bAlone] = await measureRates([alone], WARMUP_MS, MEASURE_MS);
    await stopMeters();

    const [mA, mB] = [await meter(a), await meter(b)];
    const [aRate, bRate] = await measureRates([mA, mB], WARMUP_MS, MEASURE_MS);
    await stopMeters();
    const figures = {
      quotaA: QUOTA_A,
      aRate: Math.round(aRate),
      defaultQuota: DEFAULT_RATE,
      bAlone: Math.round(bAlone),
      bWithA: Math.round(bRate),
    };
    const say = JSON.stringify(figures);
    recordFigures(
      __filename,
      'a customer over its quota, another at the default',
      `A (quota ${kib(QUOTA_A)}) fetched ${kib(aRate)} while B fetched ${kib(bRate)}; B alone ${kib(bAlone)} (default quota ${kib(DEFAULT_RATE)})`,
    );
    assert.ok(Math.abs(aRate - QUOTA_A) <= 0.2 * QUOTA_A, `A within 20% of its quota: ${say}`);
    assert.ok(bRate >= 3 * QUOTA_A, `B well above A's quota: ${say}`);
    assert.ok(bRate >= 0.8 * bAlone, `B not slowed by A: ${say}`);
    assert.ok(Math.abs(bAlone - DEFAULT_RATE) <= 0.2 * DEFAULT_RATE, `B at the default: ${say}`);
  });

  it('two credentials of one customer share its one quota', async () => {
    const both = [await meter(a, 0), await meter(a, 1)];
    const rates = await measureRates(both, WARMUP_MS, MEASURE_MS);
    await stopMeters();
    const total = rates[0] + rates[1];
    const figures = {
      quotaA: QUOTA_A,
      credential1: Math.round(rates[0]),
      credential2: Math.round(rates[1]),
      total: Math.round(total),
    };
    recordFigures(
      __filename,
      'two credentials of one customer',
      `A's two credentials together fetched ${kib(total)} (${kib(rates[0])} + ${kib(rates[1])}) under its one quota of ${kib(QUOTA_A)}`,
    );
    // Per credential, the two would get twice the quota together.
    assert.ok(
      Math.abs(total - QUOTA_A) <= 0.2 * QUOTA_A,
      `together within 20% of A's quota: ${JSON.stringify(figures)}`,
    );
    assert.ok(
      rates.every((r) => r > 0.1 * QUOTA_A),
      `both credentials consume: ${JSON.stringify(figures)}`,
    );
  });

  it('back to the default through DELETE, and the entity goes with the customer', async () => {
    const reset = await platform.api.http().delete(`/v1/customers/${a.id}/quota`).set(ADMIN);
    assert.equal(reset.status, 202, JSON.stringify(reset.body));
    assert.equal((reset.body as { consumerByteRate: number }).consumerByteRate, DEFAULT_RATE);
    await eventually(
      async () =>
        (await brokerQuota(quotas, customerQuotaUser(a.id))) === undefined ? true : undefined,
      "A's entity removed",
      20_000,
    );
    await platform.api
      .http()
      .put(`/v1/customers/${b.id}/quota`)
      .set(ADMIN)
      .send({ requestPercentage: 50 });
    await eventually(
      async () =>
        (await brokerQuota(quotas, customerQuotaUser(b.id)))?.[REQUEST_PERCENTAGE] === 50
          ? true
          : undefined,
      "B's request quota",
      20_000,
    );
    const deleted = await platform.api.http().delete(`/v1/customers/${b.id}`).set(ADMIN);
    assert.equal(deleted.status, 202, JSON.stringify(deleted.body));
    await eventually(
      async () =>
        (await brokerQuota(quotas, customerQuotaUser(b.id))) === undefined ? true : undefined,
      "B's entity removed with B",
      30_000,
    );
  });
});
