import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { type IssuedToken, MAX_TOKEN_TTL_S, type TokenView } from '@logstream/control';

// With stopAtFirstError, constraints run bottom-up: the type check sits last so it runs first.
export class CreateTokenDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'When the token stops working (at most 10 years ahead); or give `ttl`',
  })
  @IsOptional()
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: 'expiresAt must be an ISO 8601 date-time' },
  )
  expiresAt?: string;

  @ApiPropertyOptional({
    minimum: 60,
    maximum: MAX_TOKEN_TTL_S,
    description: 'Lifetime in seconds from now; or give `expiresAt`. Neither: until revoked',
  })
  @IsOptional()
  @Max(MAX_TOKEN_TTL_S)
  @Min(60)
  @IsInt({ message: 'ttl must be a whole number of seconds' })
  ttl?: number;
}

export class TokenDto implements TokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null: until revoked',
  })
  expiresAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
}

export class IssuedTokenDto extends TokenDto implements IssuedToken {
  @ApiProperty({ description: 'Shown this once: only its hash is stored' }) token!: string;
}
