import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CredentialsService, type Principal } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { CurrentPrincipal } from '../auth/auth.decorator';
import { CredentialPageDto, ListCredentialsQueryDto } from '../dto/credential.dto';
import { ErrorBodyDto } from '../dto/error-body.dto';
import { NoBodyPipe } from '../http/no-body.pipe';
import { CredentialIdPipe, CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';
import { PAGE_SIZE_DEFAULT } from '../dto/page-query.dto';

@ApiTags('credentials')
@Controller('v1/customers/:id/credentials')
export class CredentialsController {
  constructor(@Inject(CredentialsService) private readonly credentials: CredentialsService) {}

  /** A new client certificate for a principal of its own, as a zip bundle (the key's only copy). */
  @Post()
  @ApiBody({ required: false, schema: { type: 'object', additionalProperties: false } })
  @ApiProduces('application/zip')
  @ApiCreatedResponse({
    description: 'The credentials bundle (zip); the credential id is in X-Credential-Id',
    headers: { 'X-Credential-Id': { description: 'The new credential id' } },
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors(400, 404, 409, 413, 415)
  @ApiResponse({
    status: 429,
    description:
      'Over the per-customer issuing rate, or too many credentials being issued at once; see Retry-After',
    type: ErrorBodyDto,
  })
  async issue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body(NoBodyPipe) _body: undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const issued = await this.credentials.issue(principal, id);
    res.setHeader('X-Credential-Id', issued.credential.id);
    res.setHeader('Location', `/v1/customers/${id}/credentials/${issued.credential.id}`);
    return new StreamableFile(issued.bundle, {
      type: 'application/zip',
      disposition: `attachment; filename="${issued.fileName}"`,
    });
  }

  @Get()
  @ApiOkResponse({ type: CredentialPageDto })
  @ApiErrors(400, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Query() query: ListCredentialsQueryDto,
  ): Promise<CredentialPageDto> {
    return this.credentials.list(principal, id, query.after, query.limit ?? PAGE_SIZE_DEFAULT);
  }

  /** Records the revocation; the provisioner removes that principal's access. */
  @Delete(':credentialId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiErrors(400, 404)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Param('credentialId', CredentialIdPipe) credentialId: string,
  ): Promise<void> {
    return this.credentials.revoke(principal, id, credentialId);
  }
}
