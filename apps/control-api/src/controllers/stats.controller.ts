import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Principal, StatsService } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import {
  StatsSeriesDto,
  StatsSeriesQueryDto,
  StatsTopDto,
  StatsTopQueryDto,
} from '../dto/stats.dto';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('stats')
@Controller('v1/customers/:id/stats')
export class StatsController {
  constructor(@Inject(StatsService) private readonly stats: StatsService) {}

  /** Traffic per step (one-minute rollups added up), ending now. */
  @Get()
  @ApiOkResponse({ type: StatsSeriesDto })
  @ApiErrors(400, 404)
  series(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query() query: StatsSeriesQueryDto,
  ): Promise<StatsSeriesDto> {
    return this.stats.series(principal, id, query.range ?? '1h', query.step ?? '1m');
  }

  /** Top hosts, paths, client IPs and client IPs by 4xx over the range. */
  @Get('top')
  @ApiOkResponse({ type: StatsTopDto })
  @ApiErrors(400, 404)
  top(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query() query: StatsTopQueryDto,
  ): Promise<StatsTopDto> {
    return this.stats.top(principal, id, query.range ?? '1h', query.limit ?? 10);
  }
}
