import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@logstream/control';
import { AlertsService } from '@logstream/health';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import { AlertSubscriptionDto, CreateAlertDto, CreatedAlertDto } from '../dto/alert.dto';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('alerts')
@Controller('v1/customers/:id/alerts')
export class AlertsController {
  constructor(@Inject(AlertsService) private readonly alerts: AlertsService) {}

  /** Subscribes a webhook to rules; the answer holds the signing secret, shown this once. */
  @Post()
  @ApiCreatedResponse({ type: CreatedAlertDto })
  @ApiErrors(400, 404, 409, 413, 415)
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() body: CreateAlertDto,
  ): Promise<CreatedAlertDto> {
    return this.alerts.create(principal, id, body);
  }

  @Get()
  @ApiOkResponse({ type: [AlertSubscriptionDto] })
  @ApiErrors(400, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<AlertSubscriptionDto[]> {
    return this.alerts.list(principal, id);
  }

  @Delete(':alertId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; nothing more is sent to its webhook' })
  @ApiErrors(400, 404)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Param('alertId') alertId: string,
  ): Promise<void> {
    return this.alerts.remove(principal, id, alertId);
  }
}
