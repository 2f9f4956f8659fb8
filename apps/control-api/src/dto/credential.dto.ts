import { ApiProperty } from '@nestjs/swagger';
import type { CredentialView } from '@logstream/control';

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
