import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Principal, QuotaService } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import { QuotaDto, SetQuotaDto } from '../dto/quota.dto';
import { NoBodyPipe } from '../http/no-body.pipe';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

/** Client quotas: admins set them, the customer reads what is in force for it. */
@ApiTags('quota')
@Controller('v1/customers/:id/quota')
export class QuotaController {
  constructor(@Inject(QuotaService) private readonly quotas: QuotaService) {}

  @Get()
  @ApiOkResponse({ type: QuotaDto })
  @ApiErrors(400, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<QuotaDto> {
    return this.quotas.get(principal, id);
  }

  /** Records the customer's own quotas (admin only); the provisioner sets them on the broker. */
  @Put()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: QuotaDto })
  @ApiErrors(400, 403, 404, 409, 413, 415)
  set(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() body: SetQuotaDto,
  ): Promise<QuotaDto> {
    return this.quotas.set(principal, id, {
      consumerByteRate: body.consumerByteRate ?? null,
      requestPercentage: body.requestPercentage ?? null,
    });
  }

  /** Back to the platform's defaults (admin only). */
  @Delete()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: QuotaDto })
  @ApiErrors(400, 403, 404, 409)
  reset(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body(NoBodyPipe) _body: undefined,
  ): Promise<QuotaDto> {
    return this.quotas.set(principal, id, { consumerByteRate: null, requestPercentage: null });
  }
}
