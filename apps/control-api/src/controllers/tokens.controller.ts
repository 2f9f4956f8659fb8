import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { type Principal, TokensService } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorator';
import { IssuedTokenDto } from '../dto/token.dto';
import { NoBodyPipe } from '../http/no-body.pipe';
import { CustomerIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('tokens')
@Controller('v1/customers/:id/tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  /** A token that sees this customer only. It is shown once; only its hash is kept. */
  @Post()
  @AdminOnly()
  @ApiBody({ required: false, schema: { type: 'object', additionalProperties: false } })
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiErrors(400, 403, 404, 409, 413, 415)
  issue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body(NoBodyPipe) _body: undefined,
  ): Promise<IssuedTokenDto> {
    return this.tokens.issue(principal, id);
  }
}
