import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { QUOTA_BOUNDS } from '@logstream/config';
import type { QuotaOverride, QuotaView } from '@logstream/control';

const { consumerByteRate: BYTES, requestPercentage: PERCENT } = QUOTA_BOUNDS;

/** PUT …/quota: the customer's own quotas; a field absent or null is the platform's default. */
export class SetQuotaDto {
  // With stopAtFirstError, constraints run bottom-up: the type check sits last so it runs first.
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: BYTES.min,
    maximum: BYTES.max,
    example: 524_288,
    description: 'Bytes per second its consumers may fetch, all its credentials together',
  })
  @IsOptional()
  @Max(BYTES.max)
  @Min(BYTES.min)
  @IsInt()
  consumerByteRate?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: PERCENT.min,
    maximum: PERCENT.max,
    example: 50,
    description: "Percent of one broker thread's time its requests may take",
  })
  @IsOptional()
  @Max(PERCENT.max)
  @Min(PERCENT.min)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  requestPercentage?: number | null;
}

export class QuotaOverrideDto implements QuotaOverride {
  @ApiProperty({ type: Number, nullable: true }) consumerByteRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) requestPercentage!: number | null;
}

export class QuotaDto implements QuotaView {
  @ApiProperty({ description: 'Bytes/s in force (its own, else the default)', example: 10485760 })
  consumerByteRate!: number;
  @ApiProperty({ description: 'Percent of one broker thread in force', example: 100 })
  requestPercentage!: number;
  @ApiProperty({ type: QuotaOverrideDto, description: 'Its own quotas; null: the default' })
  override!: QuotaOverrideDto;
}
