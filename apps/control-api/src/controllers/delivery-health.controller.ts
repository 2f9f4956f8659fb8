import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@logstream/control';
import { HEALTH_SERIES_METRICS, HealthQueryService } from '@logstream/health';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import { CustomerHealthDto, HealthSeriesDto } from '../dto/delivery-health.dto';
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
  @ApiQuery({ name: 'metric', enum: HEALTH_SERIES_METRICS })
  @ApiQuery({ name: 'range', required: false, enum: ['1h', '6h', '24h', '7d', '30d'] })
  @ApiQuery({ name: 'step', required: false, description: 'Seconds, a multiple of 60' })
  @ApiOkResponse({ type: HealthSeriesDto })
  @ApiErrors(400, 404)
  series(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query('metric') metric?: string,
    @Query('range') range?: string,
    @Query('step') step?: string,
  ): Promise<HealthSeriesDto> {
    return this.health.series(principal, id, { metric, range, step });
  }
}
