import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { DatabaseHealthService } from '@logstream/control';
import { Public } from '../auth/auth.decorator';
import { ErrorBodyDto } from '../dto/error-body.dto';
import { HealthDto, ReadinessDto } from '../dto/health.dto';
import { HttpMetrics } from '../observability/http-metrics.service';

@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    @Inject(DatabaseHealthService) private readonly database: DatabaseHealthService,
    @Inject(HttpMetrics) private readonly metrics: HttpMetrics,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('healthz')
  @ApiOkResponse({ type: HealthDto })
  healthz(): HealthDto {
    return { status: 'ok' };
  }

  /** Ready to serve the API: the database answers. */
  @Get('readyz')
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto })
  async readyz(): Promise<ReadinessDto> {
    try {
      await this.database.ping();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ServiceUnavailableException(`not ready: the database is unreachable (${reason})`);
    }
    return { status: 'ok', database: 'up' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text format' })
  metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
