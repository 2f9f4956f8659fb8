import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@logstream/control';
import { HealthQueryService } from '@logstream/health';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import {
  CustomerHealthDto,
  HealthSeriesDto,
  HealthSeriesQueryDto,
} from '../dto/delivery-health.dto';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('delivery health')
@Controller('v1/customers/:id/health')
export class DeliveryHealthController {
  constructor(@Inject(HealthQueryService) private readonly health: HealthQueryService) {}

  /** The latest collection: produced lines, retention, consumer groups, edge drops. */
  @Get()
  @ApiOkResponse({ type: CustomerHealthDto })
  @ApiErrors(400, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<CustomerHealthDto> {
    return this.health.health(principal, id);
  }

  /** One metric from the one-minute rollups, for charts. */
  @Get('series')
  @ApiOkResponse({ type: HealthSeriesDto })
  @ApiErrors(400, 404)
  series(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query() query: HealthSeriesQueryDto,
  ): Promise<HealthSeriesDto> {
    return this.health.series(principal, id, query);
  }
}
