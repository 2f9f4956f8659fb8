import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsString,
  MaxLength,
} from 'class-validator';
import type { AlertRule, AlertSubscriptionView } from '@logstream/health';

const RULES_EXAMPLE = [
  { type: 'no-lines', minutes: 10 },
  { type: 'group-lag', seconds: 300 },
  { type: 'retention-risk' },
  { type: 'lines-lost' },
];

export class CreateAlertDto {
  @ApiProperty({ example: 'https://hooks.example.com/logstream' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({
    example: RULES_EXAMPLE,
    description: 'Rules: no-lines {minutes}, group-lag {seconds}, retention-risk, lines-lost',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  rules!: AlertRule[];
}

class LastDeliveryDto {
  @ApiProperty({ enum: ['firing', 'resolved'] }) event!: string;
  @ApiProperty({ example: '1:group-lag:group:acme.archiver' }) alert!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class AlertSubscriptionDto implements AlertSubscriptionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ example: RULES_EXAMPLE, type: 'array', items: { type: 'object' } })
  rules!: AlertRule[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: LastDeliveryDto, nullable: true }) lastDelivery!: LastDeliveryDto | null;
}

export class CreatedAlertDto extends AlertSubscriptionDto {
  @ApiProperty({
    description: 'HMAC-SHA256 signing secret; shown this once only',
    example: 'whsec_…',
  })
  secret!: string;
}
