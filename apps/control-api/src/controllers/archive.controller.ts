import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ArchiveSettingsService } from '@logstream/archive';
import type { Principal } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorator';
import { ArchiveDto, PutArchiveDto, VerifyArchiveDto } from '../dto/archive.dto';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { NoBodyPipe } from '../http/no-body.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('archive')
@Controller('v1/customers/:id/archive')
export class ArchiveController {
  constructor(@Inject(ArchiveSettingsService) private readonly archive: ArchiveSettingsService) {}

  /** Settings (never the secret), proof of ownership and delivery status. */
  @Get()
  @ApiOkResponse({ type: ArchiveDto })
  @ApiErrors(400, 404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<ArchiveDto> {
    return this.archive.get(principal, id);
  }

  /** Creates or replaces the settings; a new destination must be proved (verify or trust). */
  @Put()
  @ApiOkResponse({ type: ArchiveDto })
  @ApiErrors(400, 404, 409, 413, 415)
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() body: PutArchiveDto,
  ): Promise<ArchiveDto> {
    return this.archive.put(principal, id, body);
  }

  /** Stops the archive; objects already delivered stay in the bucket. */
  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<void> {
    return this.archive.delete(principal, id);
  }

  /** Proves ownership with the token from the challenge object in the bucket. */
  @Post('verify')
  @HttpCode(200)
  @ApiOkResponse({ type: ArchiveDto })
  @ApiErrors(400, 404, 409, 413, 415)
  verify(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() body: VerifyArchiveDto,
  ): Promise<ArchiveDto> {
    return this.archive.verify(principal, id, body.token);
  }

  /** An admin vouches for the destination (no challenge). */
  @Post('trust')
  @AdminOnly()
  @HttpCode(200)
  @ApiOkResponse({ type: ArchiveDto })
  @ApiErrors(400, 403, 404)
  trust(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body(NoBodyPipe) _body: undefined,
  ): Promise<ArchiveDto> {
    return this.archive.trust(principal, id);
  }
}
