import { Body, Controller, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Principal, StreamingService } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import { SetStreamingDto, StreamingStatusDto } from '../dto/streaming.dto';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('streaming')
@Controller('v1/customers/:id/streaming')
export class StreamingController {
  constructor(@Inject(StreamingService) private readonly streaming: StreamingService) {}

  @Get()
  @ApiOkResponse({ type: StreamingStatusDto })
  @ApiErrors(400, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<StreamingStatusDto> {
    return this.streaming.get(principal, id);
  }

  /** Records the desired state; the provisioner applies it and GET reports its progress. */
  @Put()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: StreamingStatusDto })
  @ApiErrors(400, 404, 409, 413, 415)
  set(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() body: SetStreamingDto,
  ): Promise<StreamingStatusDto> {
    return this.streaming.set(principal, id, body.enabled);
  }
}
