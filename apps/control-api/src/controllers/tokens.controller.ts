import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Principal, TokensService } from '@logstream/control';
import type { CustomerId } from '@logstream/tenancy';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorator';
import { CreateTokenDto, IssuedTokenDto, TokenDto } from '../dto/token.dto';
import { CustomerIdPipe, TokenIdPipe } from '../http/path-params.pipe';
import { ApiErrors } from './api-docs.decorator';

@ApiTags('tokens')
@Controller('v1/customers/:id/tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  /** A token that sees this customer only. It is shown once; only its hash is kept. */
  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiErrors(400, 403, 404, 409, 413, 415)
  issue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Body() body: CreateTokenDto,
  ): Promise<IssuedTokenDto> {
    return this.tokens.issue(principal, id, {
      expiresAt: body.expiresAt === undefined ? undefined : new Date(body.expiresAt),
      ttlSeconds: body.ttl,
    });
  }

  /** The customer's tokens, in force or not (never the secrets themselves). */
  @Get()
  @ApiOkResponse({ type: [TokenDto] })
  @ApiErrors(400, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
  ): Promise<TokenDto[]> {
    return this.tokens.list(principal, id);
  }

  /** Ends the token at once. A customer token may end its own customer's tokens, itself too. */
  @Delete(':tokenId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiErrors(400, 404)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', CustomerIdPipe) id: CustomerId,
    @Param('tokenId', TokenIdPipe) tokenId: string,
  ): Promise<void> {
    return this.tokens.revoke(principal, id, tokenId);
  }
}
