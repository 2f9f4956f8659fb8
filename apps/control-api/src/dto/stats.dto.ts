import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { StatsSeries, StatsTop } from '@logstream/control';
import {
  DURATION_PATTERN,
  durationMs,
  explainSeriesRequest,
  type SeriesPoint,
  type TopEntry,
} from '@logstream/stats';

const DURATION = 'a duration: a whole number and m, h or d, e.g. 15m, 6h, 7d';

@ValidatorConstraint({ name: 'seriesShape' })
class SeriesShape implements ValidatorConstraintInterface {
  validate(step: unknown, args: ValidationArguments): boolean {
    const range = (args.object as StatsSeriesQueryDto).range ?? '1h';
    if (typeof step !== 'string' || !DURATION_PATTERN.test(step) || !DURATION_PATTERN.test(range)) {
      return true; // the pattern checks report these
    }
    return explainSeriesRequest(durationMs(range), durationMs(step)) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    const q = args.object as StatsSeriesQueryDto;
    return explainSeriesRequest(durationMs(q.range ?? '1h'), durationMs(q.step ?? '1m')) ?? '';
  }
}

export class StatsSeriesQueryDto {
  @ApiPropertyOptional({
    description: `How far back from now (${DURATION}); at most 30d`,
    default: '1h',
  })
  @IsOptional()
  @Matches(DURATION_PATTERN, { message: `range must be ${DURATION}` })
  @IsString()
  range?: string;

  @ApiPropertyOptional({
    description: `Width of each point (${DURATION}); at most 1440 points`,
    default: '1m',
  })
  @IsOptional()
  @Validate(SeriesShape)
  @Matches(DURATION_PATTERN, { message: `step must be ${DURATION}` })
  @IsString()
  step?: string;
}

export class StatsTopQueryDto {
  @ApiPropertyOptional({
    description: `How far back from now (${DURATION}); at most 30d`,
    default: '1h',
  })
  @IsOptional()
  @Validate(SeriesShape)
  @Matches(DURATION_PATTERN, { message: `range must be ${DURATION}` })
  @IsString()
  range?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @Max(100)
  @Min(1)
  @IsInt()
  limit?: number;
}

class StatusClassDto {
  @ApiProperty({ name: '1xx' }) '1xx'!: number;
  @ApiProperty({ name: '2xx' }) '2xx'!: number;
  @ApiProperty({ name: '3xx' }) '3xx'!: number;
  @ApiProperty({ name: '4xx' }) '4xx'!: number;
  @ApiProperty({ name: '5xx' }) '5xx'!: number;
}

export class StatsPointDto implements SeriesPoint {
  @ApiProperty({ format: 'date-time', description: 'Start of the step' }) start!: string;
  @ApiProperty() requests!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty({ type: StatusClassDto }) statusClass!: SeriesPoint['statusClass'];
  @ApiProperty({ description: 'Distinct client IPs (HyperLogLog, standard error 0.81%)' })
  uniqueVisitors!: number;
  @ApiProperty({ description: 'Lines that arrived after their window had closed' }) late!: number;
  @ApiProperty({ description: 'Lines that did not match the log format' }) unparsed!: number;
}

export class StatsSeriesDto implements StatsSeries {
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ example: '1m' }) step!: string;
  @ApiProperty({ type: [StatsPointDto] }) points!: StatsPointDto[];
}

export class TopEntryDto implements TopEntry {
  @ApiProperty({ example: '203.0.113.9' }) key!: string;
  @ApiProperty({ description: 'Count (Space-Saving: an upper bound)' }) count!: number;
  @ApiProperty({ description: 'count - error is a lower bound of the true count' }) error!: number;
}

class TopListsDto {
  @ApiProperty({ type: [TopEntryDto] }) hosts!: TopEntryDto[];
  @ApiProperty({ type: [TopEntryDto] }) paths!: TopEntryDto[];
  @ApiProperty({ type: [TopEntryDto] }) clientIps!: TopEntryDto[];
  @ApiProperty({ type: [TopEntryDto], description: 'Client IPs by number of 4xx responses' })
  clientIps4xx!: TopEntryDto[];
}

export class StatsTopDto implements StatsTop {
  @ApiProperty({ example: 'acme' }) customerId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: TopListsDto }) lists!: TopListsDto;
}
