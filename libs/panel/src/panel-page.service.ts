import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ArchiveSettingsService } from '@logstream/archive';
import { HealthQueryService } from '@logstream/health';
import {
  ControlError,
  CredentialsService,
  CustomersService,
  type IssuedCredential,
  type Principal,
  StatsService,
  StreamingService,
  visibleCustomer,
} from '@logstream/control';
import { type CustomerEntity, CredentialRepository } from '@logstream/persistence';
import type { CustomerId } from '@logstream/tenancy';
import type { Html } from './html.rules';
import {
  archiveModel,
  connectionModel,
  credentialRow,
  credentialsModel,
  healthModel,
  streamingModel,
  TRAFFIC_TOP,
  trafficModel,
} from './panel-models.factory';
import { PANEL_OPTIONS, type PanelOptions } from './panel-options.types';
import type { CredentialsModel, HealthModel, TrafficModel, Viewer } from './panel.types';
import {
  archiveBlock,
  confirmRevokePage,
  credentialsBlock,
  customerListPage,
  customerPage,
  healthBlock,
  streamingBlock,
  trafficBlock,
} from './views';

export type RevokeOutcome = { kind: 'confirm'; page: Html } | { kind: 'revoked'; block: Html };

const CUSTOMERS_PER_PAGE = 100;
/** 144 points for the 24 h chart: one per 10 minutes. */
const HEALTH_CHART_STEP_S = 600;

/**
 * What the panel shows, built from the same domain services as the REST API, with the same
 * access rule: a customer's session sees its own customer only; any other answers the API's
 * "not found", word for word.
 */
@Injectable()
export class PanelPageService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(StreamingService) private readonly streaming: StreamingService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(CustomersService) private readonly customers: CustomersService,
    @Inject(ArchiveSettingsService) private readonly archives: ArchiveSettingsService,
    @Inject(HealthQueryService) private readonly healthQuery: HealthQueryService,
    @Inject(StatsService) private readonly stats: StatsService,
    @Inject(PANEL_OPTIONS) private readonly options: PanelOptions,
  ) {}

  private customer(principal: Principal, id: CustomerId): Promise<CustomerEntity> {
    return visibleCustomer(this.db.manager, principal, id);
  }

  private async credentialsOf(
    c: CustomerEntity,
    highlight: string | null,
  ): Promise<CredentialsModel> {
    const rows = await new CredentialRepository(this.db.manager).listByCustomer(c.id);
    return credentialsModel(c, rows, this.options.maxActiveCredentials, new Date(), highlight);
  }

  async page(principal: Principal, id: CustomerId, viewer: Viewer): Promise<Html> {
    const c = await this.customer(principal, id);
    // The blocks read independent rows: in parallel, so the page waits for the slowest only.
    const [credentials, archive, health, traffic] = await Promise.all([
      this.credentialsOf(c, null),
      this.archives.find(principal, id),
      this.healthOf(principal, id),
      this.trafficOf(principal, id),
    ]);
    return customerPage(
      {
        customer: { id: c.id, name: c.name },
        streaming: streamingModel(c),
        connection: connectionModel(
          c,
          this.options.customerBootstrap,
          this.options.topicRetentionMs,
        ),
        credentials,
        archive: archiveModel(c.id, archive),
        health,
        traffic,
        tail: this.options.tail,
      },
      viewer,
    );
  }

  async streamingBlock(principal: Principal, id: CustomerId, viewer: Viewer): Promise<Html> {
    return streamingBlock(streamingModel(await this.customer(principal, id)), viewer);
  }

  async setStreaming(
    principal: Principal,
    id: CustomerId,
    enabled: boolean,
    viewer: Viewer,
  ): Promise<Html> {
    await this.streaming.set(principal, id, enabled);
    return this.streamingBlock(principal, id, viewer);
  }

  async credentialsBlock(
    principal: Principal,
    id: CustomerId,
    viewer: Viewer,
    highlight: string | null,
  ): Promise<Html> {
    const c = await this.customer(principal, id);
    return credentialsBlock(await this.credentialsOf(c, highlight), viewer);
  }

  issueCredential(principal: Principal, id: CustomerId): Promise<IssuedCredential> {
    return this.credentials.issue(principal, id);
  }

  /** Without `confirmed`, the confirmation page (for browsers without JavaScript). */
  async revoke(
    principal: Principal,
    id: CustomerId,
    credentialId: string,
    confirmed: boolean,
    viewer: Viewer,
  ): Promise<RevokeOutcome> {
    if (!confirmed) {
      const c = await this.customer(principal, id);
      const credential = await new CredentialRepository(this.db.manager).findOne(id, credentialId);
      if (!credential) {
        throw new ControlError(
          'not_found',
          `credential "${credentialId}" not found for customer "${id}"`,
        );
      }
      const model = await this.credentialsOf(c, null);
      const row = credentialRow(credential, c, new Date());
      return { kind: 'confirm', page: confirmRevokePage(c, model, row, viewer) };
    }
    await this.credentials.revoke(principal, id, credentialId);
    return { kind: 'revoked', block: await this.credentialsBlock(principal, id, viewer, null) };
  }

  /** Through the API's own service and access rule: another customer's id answers its 404. */
  async archiveBlock(principal: Principal, id: CustomerId): Promise<Html> {
    return archiveBlock(archiveModel(id, await this.archives.find(principal, id)));
  }

  /** Through the API's own health reads and access rule, like the archive block. */
  async healthBlock(principal: Principal, id: CustomerId): Promise<Html> {
    return healthBlock(await this.healthOf(principal, id));
  }

  /** Through the stats API's own service and access rule. */
  async trafficBlock(principal: Principal, id: CustomerId): Promise<Html> {
    return trafficBlock(await this.trafficOf(principal, id));
  }

  private async trafficOf(principal: Principal, id: CustomerId): Promise<TrafficModel> {
    const { series, top } = await this.stats.overview(principal, id, '1h', '1m', TRAFFIC_TOP);
    return trafficModel(id, series, top);
  }

  private async healthOf(principal: Principal, id: CustomerId): Promise<HealthModel> {
    const [snapshot, produced] = await Promise.all([
      this.healthQuery.health(principal, id),
      this.healthQuery.series(principal, id, {
        metric: 'producedLinesPerSec',
        range: '24h',
        step: String(HEALTH_CHART_STEP_S),
      }),
    ]);
    return healthModel(id, snapshot, produced, new Date());
  }

  async customerList(
    principal: Principal,
    after: string | undefined,
    viewer: Viewer,
  ): Promise<Html> {
    const page = await this.customers.list(principal, after, CUSTOMERS_PER_PAGE);
    return customerListPage(
      {
        customers: page.items.map((c) => ({ id: c.id, name: c.name, state: c.streamingState })),
        next: page.next,
      },
      viewer,
    );
  }

  /** Throws the API's 404 unless the principal may see the customer (and it exists). */
  async assertVisible(principal: Principal, id: CustomerId): Promise<void> {
    await this.customer(principal, id);
  }
}
