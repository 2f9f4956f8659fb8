import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import type { CustomerPage, CustomerView } from '@logstream/control';
import { STREAMING_STATES, type StreamingState } from '@logstream/persistence';
import { CUSTOMER_ID_PATTERN } from '@logstream/tenancy';
import { IsCustomerId, IsPlainText } from './text-validation.rules';
import { PageLimitQueryDto } from './page-query.dto';

// With stopAtFirstError, constraints run bottom-up: the type check sits last so it runs first.

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateCustomerDto {
  @ApiProperty({
    description: 'A DNS label: lowercase letters, digits and inner hyphens',
    pattern: CUSTOMER_ID_PATTERN.source,
    maxLength: 63,
    example: 'acme',
  })
  @IsCustomerId()
  id!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Acme Corporation' })
  @Transform(trim)
  @IsPlainText()
  @Length(1, 200)
  @IsString()
  name!: string;
}

export class ListCustomersQueryDto extends PageLimitQueryDto {
  @ApiPropertyOptional({
    description: 'The `next` value of the previous page (a customer id)',
    pattern: CUSTOMER_ID_PATTERN.source,
  })
  @IsOptional()
  @IsCustomerId()
  @Length(1, 63)
  @IsString()
  after?: string;
}

export class CustomerDto implements CustomerView {
  @ApiProperty({ example: 'acme' }) id!: string;
  @ApiProperty({ example: 'Acme Corporation' }) name!: string;
  @ApiProperty({ description: 'The desired streaming state' }) streamingEnabled!: boolean;
  @ApiProperty({ enum: STREAMING_STATES, description: 'What the provisioner reports' })
  streamingState!: StreamingState;
  @ApiProperty({ description: 'Counts desired-state changes' }) generation!: number;
  @ApiProperty({ description: 'The generation the provisioner has reconciled' })
  observedGeneration!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deletionRequestedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export class CustomerPageDto implements CustomerPage {
  @ApiProperty({ type: [CustomerDto] }) items!: CustomerDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page' })
  next!: string | null;
}
