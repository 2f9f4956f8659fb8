import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { CredentialPage, CredentialView } from '@logstream/control';
import { PageLimitQueryDto } from './page-query.dto';

export class CredentialDto implements CredentialView {
  @ApiProperty({ example: 'k3x9q2m4c7d8f6h5' }) id!: string;
  @ApiProperty({ example: 'customer.acme.k3x9q2m4c7d8f6h5' }) principal!: string;
  @ApiProperty({ description: 'Certificate serial number, hex' }) serial!: string;
  @ApiProperty({ description: 'SHA-256 of the certificate, colon-separated hex' })
  fingerprint!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
}

export class ListCredentialsQueryDto extends PageLimitQueryDto {
  @ApiPropertyOptional({ description: 'The `next` value of the previous page (a credential id)' })
  @IsOptional()
  @Matches(/^[a-z0-9]{1,32}$/, { message: 'after must be a credential id' })
  @IsString()
  after?: string;
}

export class CredentialPageDto implements CredentialPage {
  @ApiProperty({ type: [CredentialDto], description: 'In issue order, revoked ones included' })
  items!: CredentialDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page' })
  next!: string | null;
}
