import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type {
  CustomerHealth,
  EdgeDrops,
  GroupHealth,
  HealthSeries,
  HealthSeriesPoint,
} from '@logstream/health';
import { HEALTH_SERIES_METRICS, type HealthSeriesMetric } from '@logstream/health';

class ProducedDto {
  @ApiProperty({ description: 'Lines appended per second over the last collection interval' })
  linesPerSec!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Bytes per second routed by the edge' })
  bytesPerSec!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLineAt!: string | null;
}

class RetentionDto {
  @ApiProperty({ type: Number, nullable: true, description: "The topic's retention.ms" })
  ms!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) oldestLineAt!: string | null;
}

class GroupHealthDto implements GroupHealth {
  @ApiProperty({ example: 'acme.archiver' }) groupId!: string;
  @ApiProperty({ example: 'Stable' }) state!: string;
  @ApiProperty() members!: number;
  @ApiProperty({ description: 'Lines not read yet' }) lagLines!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest unread line' })
  lagSeconds!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastCommitAt!: string | null;
  @ApiProperty({ description: 'The oldest unread line is close to retention.ms' })
  atRisk!: boolean;
  @ApiProperty({ description: 'Lines deleted by retention before the group read them' })
  lostLines!: number;
}

class EdgeDropsDto implements EdgeDrops {
  @ApiProperty() routedLines!: number;
  @ApiProperty() routedBytes!: number;
  @ApiProperty({ description: 'Lines dropped because the customer was not active' })
  inactive!: number;
  @ApiProperty({ description: 'Lines dropped for being over the size limit' }) oversize!: number;
  @ApiProperty({ description: 'Edge nodes that reported' }) nodes!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
}

class BrokerBytesDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Bytes appended per second' })
  producedBytesPerSec!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Bytes fetched per second' })
  fetchedBytesPerSec!: number | null;
}

export class CustomerHealthDto implements CustomerHealth {
  @ApiProperty({ type: String, format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: ProducedDto }) produced!: ProducedDto;
  @ApiProperty({ type: RetentionDto }) retention!: RetentionDto;
  @ApiProperty({ type: [GroupHealthDto] }) groups!: GroupHealthDto[];
  @ApiProperty({ type: EdgeDropsDto }) edgeDrops!: EdgeDropsDto;
  @ApiProperty({ type: BrokerBytesDto, description: "The brokers' per-topic byte counters" })
  broker!: BrokerBytesDto;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
}

class SeriesPointDto implements HealthSeriesPoint {
  @ApiProperty({ type: String, format: 'date-time' }) t!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
}

export class HealthSeriesDto implements HealthSeries {
  @ApiProperty({ enum: HEALTH_SERIES_METRICS }) metric!: HealthSeriesMetric;
  @ApiProperty() stepSeconds!: number;
  @ApiProperty({ type: String, format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time' }) to!: string;
  @ApiProperty({ type: [SeriesPointDto] }) points!: SeriesPointDto[];
}

export class HealthSeriesQueryDto {
  @ApiProperty({ enum: HEALTH_SERIES_METRICS })
  @IsString()
  @MaxLength(40)
  metric!: string;

  @ApiPropertyOptional({ enum: ['1h', '6h', '24h', '7d', '30d'], default: '24h' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  range?: string;

  @ApiPropertyOptional({ description: 'Seconds per point, a multiple of 60', default: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  step?: string;
}
