import { ApiProperty } from '@nestjs/swagger';
import type { ErrorBody } from '../http/error-body.factory';

export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: 'customer "acme" not found' }) message!: string;
}
