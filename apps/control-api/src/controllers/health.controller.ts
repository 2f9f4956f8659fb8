import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DatabaseHealthService } from '@logstream/control';
import type { Logger } from '@logstream/observability';
import { Public } from '../auth/auth.decorator';
import { SkipRateLimit } from '../http/rate-limit.guard';
import { ErrorBodyDto } from '../dto/error-body.dto';
import { HealthDto, ReadinessDto } from '../dto/health.dto';
import { HttpMetrics } from '../observability/http-metrics.service';
import { LOGGER } from '../observability/nest-logger.adapter';

@ApiTags('operations')
@Public()
@SkipRateLimit()
@Controller()
export class HealthController {
  constructor(
    @Inject(DatabaseHealthService) private readonly database: DatabaseHealthService,
    @Inject(HttpMetrics) private readonly metrics: HttpMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('healthz')
  @ApiOkResponse({ type: HealthDto })
  healthz(): HealthDto {
    return { status: 'ok' };
  }

  /**
   * Ready to serve the API: the database answered (checked at most every 2 s). The answer
   * never carries the driver's error (it names hosts); the log does.
   */
  @Get('readyz')
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto })
  async readyz(): Promise<ReadinessDto> {
    const { up, error } = await this.database.isUp();
    if (error !== undefined) {
      this.logger.warn('readiness: the database did not answer', {
        error: error instanceof Error ? error.message : 'unknown error',
      });
    }
    if (!up) throw new ServiceUnavailableException('not ready: the database is unavailable');
    return { status: 'ok', database: 'up' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text format' })
  metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
