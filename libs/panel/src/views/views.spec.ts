import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CredentialEntity, CustomerEntity } from '@logstream/persistence';
import { parseCustomerId } from '@logstream/tenancy';
import {
  archiveModel,
  credentialsModel,
  healthModel,
  streamingModel,
  trafficModel,
} from '../panel-models.factory';
import type { CustomerPageModel, StreamingModel, Viewer } from '../panel.types';
import { credentialsBlock } from './credentials.view';
import { customerPage } from './customer-page.view';
import { errorPage } from './error.view';
import { emptyHealth, emptySeries, emptyTop, statsSeries } from './api-answers.fixtures';
import { signInPage } from './sign-in.view';
import { streamingBlock } from './streaming.view';

const viewer: Viewer = { kind: 'customer', csrfToken: 'csrf-123' };
const NOW = new Date('2026-06-01T00:00:00Z');
const HOSTILE = '<img src=x onerror=alert(1)>"\'';

function customer(over: Partial<CustomerEntity> = {}): CustomerEntity {
  return {
    id: 'acme',
    name: 'Acme',
    streamingEnabled: true,
    generation: 3,
    observedGeneration: 3,
    deletionRequestedAt: null,
    streamingState: 'active',
    lastError: null,
    stateChangedAt: new Date('2026-05-31T10:00:00Z'),
    activeSince: new Date('2026-05-31T10:00:00Z'),
    provisioningMs: 1234,
    quotaConsumerByteRate: null,
    quotaRequestPercentage: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

function credential(id: string, over: Partial<CredentialEntity> = {}): CredentialEntity {
  return {
    id,
    customerId: 'acme',
    principal: `customer.acme.${id}`,
    serial: '01',
    fingerprintSha256: 'AB:CD',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    revokedAt: null,
    ...over,
  };
}

describe('streaming view', () => {
  it('shows active and how long it took, without polling', () => {
    const out = streamingBlock(streamingModel(customer()), viewer).value;
    assert.match(out, /id="streaming-state">active</);
    assert.match(out, /active in <strong>1\.2 s<\/strong>/);
    assert.doesNotMatch(out, /hx-trigger/);
    assert.match(out, /name="enabled" value="false"/);
    assert.match(out, /Turn streaming off/);
    assert.match(out, /name="_csrf" value="csrf-123"/);
  });

  it('polls every second while a change is in progress', () => {
    for (const m of [
      streamingModel(customer({ streamingState: 'provisioning' })),
      streamingModel(customer({ observedGeneration: 2 })),
    ]) {
      assert.match(streamingBlock(m, viewer).value, /hx-trigger="every 1s"/);
    }
  });

  it('explains a failure in words, with the raw error escaped for support', () => {
    const m: StreamingModel = streamingModel(
      customer({ streamingState: 'failed', lastError: `step ensure-topic: timeout ${HOSTILE}` }),
    );
    const out = streamingBlock(m, viewer).value;
    assert.match(out, /could not reach Kafka/);
    assert.ok(!out.includes('<img'));
    assert.ok(out.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;'));
  });

  it('offers no switch while the customer is being deleted', () => {
    const out = streamingBlock(
      streamingModel(customer({ deletionRequestedAt: NOW })),
      viewer,
    ).value;
    assert.doesNotMatch(out, /streaming-switch/);
    assert.match(out, /being deleted/);
  });
});

describe('credentials view', () => {
  it('counts active ones, lists newest first, highlights the new row, warns 30 days ahead', () => {
    const rows = [
      credential('old', { expiresAt: new Date('2026-06-20T00:00:00Z') }),
      credential('gone', { revokedAt: new Date('2026-03-01T00:00:00Z') }),
      credential('new'),
    ];
    const m = credentialsModel(customer(), rows, 10, NOW, 'new');
    assert.deepEqual(
      m.rows.map((r) => [r.id, r.status, r.expiresInDays]),
      [
        ['new', 'active', null],
        ['gone', 'revoked', null],
        ['old', 'active', 19],
      ],
    );
    const out = credentialsBlock(m, viewer).value;
    assert.match(out, /<strong>2 of 10<\/strong> active/);
    assert.match(out, /id="credential-new" class="highlight status-active"/);
    assert.match(out, /expires in 19 days: issue a new\s+one/);
    assert.equal(
      (out.match(/>\s*Revoke\s*<\/button>/g) ?? []).length,
      2,
      'no revoke on a revoked row',
    );
    assert.doesNotMatch(out, /hx-trigger/);
  });

  it('shows "revoking" and polls until the provisioner has caught up', () => {
    const c = customer({ generation: 5, observedGeneration: 4 });
    const m = credentialsModel(c, [credential('k1', { revokedAt: NOW })], 10, NOW, null);
    assert.equal(m.rows[0].status, 'revoking');
    assert.match(credentialsBlock(m, viewer).value, /revoking…[\s\S]*|hx-trigger="every 1s"/);
    assert.match(credentialsBlock(m, viewer).value, /hx-trigger="every 1s"/);
  });

  it('disables issuing at the limit and marks expired ones', () => {
    const rows = [
      credential('a'),
      credential('b', { expiresAt: new Date('2026-05-01T00:00:00Z') }),
    ];
    const m = credentialsModel(customer(), rows, 1, NOW, null);
    assert.equal(m.rows.find((r) => r.id === 'b')?.status, 'expired');
    assert.match(
      credentialsBlock(m, viewer).value,
      /id="issue-credential"\s+class="button primary"\s+disabled/,
    );
  });
});

describe('pages', () => {
  function pageModel(name: string): CustomerPageModel {
    const c = customer({ name });
    return {
      customer: { id: c.id, name },
      streaming: streamingModel(c),
      connection: {
        customerId: 'acme',
        bootstrapServers: ['kafka-1.example:9094', 'kafka-2.example:9094'],
        topic: 'cdn-logs.acme',
        groupPrefix: 'acme.',
        retentionMs: 7 * 24 * 3600_000,
      },
      credentials: credentialsModel(c, [], 10, NOW, null),
      archive: archiveModel(c.id, null),
      health: healthModel(parseCustomerId(c.id), emptyHealth, { ...emptySeries }, NOW),
      traffic: trafficModel(c.id, statsSeries([]), emptyTop),
      tail: { maxDurationMs: 300_000, maxLinesPerSecond: 50 },
    };
  }

  it('never lets a customer name become markup, and loads nothing inline or from elsewhere', () => {
    const out = customerPage(pageModel(HOSTILE), viewer).value;
    assert.ok(!out.includes('<img'));
    assert.doesNotMatch(out, /<script(?![^>]*\bsrc="\/panel\/assets\/)/);
    assert.doesNotMatch(out, /<[^>]*\s(style|on[a-z]+)=|<style/);
    assert.doesNotMatch(out, /https?:\/\//);
    assert.match(out, /hx-headers="\{&quot;X-CSRF-Token&quot;:&quot;csrf-123&quot;\}"/);
  });

  it('has every section, labels on the controls, and the connection values', () => {
    const out = customerPage(pageModel('Acme'), viewer).value;
    const ids = ['streaming', 'connection', 'credentials', 'health', 'traffic', 'archive', 'tail'];
    for (const id of ids) {
      assert.match(
        out,
        new RegExp(`<section id="${id}" class="card" aria-labelledby="${id}-title">`),
      );
    }
    assert.match(out, /<label for="tail-filter">/);
    assert.match(out, /kafka-1\.example:9094,kafka-2\.example:9094/);
    assert.match(out, /acme\.kcat/);
    assert.match(out, /No consumer group has committed an offset yet/);
    assert.match(out, /at most\s+300 s and shows at most 50 lines\/s/);
  });

  it('sign-in and error pages escape what they show and never echo a token', () => {
    assert.ok(!signInPage(`bad ${HOSTILE}`).value.includes('<img'));
    assert.doesNotMatch(signInPage().value, /value="lsc_/);
    assert.match(
      errorPage(404, 'customer "x" not found').value,
      /data-status="404">customer &quot;x&quot; not found</,
    );
  });
});
