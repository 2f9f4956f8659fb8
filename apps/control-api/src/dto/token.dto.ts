import { ApiProperty } from '@nestjs/swagger';
import type { IssuedToken } from '@logstream/control';

export class IssuedTokenDto implements IssuedToken {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ description: 'Shown this once: only its hash is stored' }) token!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}
