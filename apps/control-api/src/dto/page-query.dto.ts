import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const PAGE_SIZE_DEFAULT = 50;
const PAGE_SIZE_MAX = 200;

/** `?limit=` of every paginated list; each list adds its own `after` (the last id it returned). */
export class PageLimitQueryDto {
  // With stopAtFirstError, constraints run bottom-up: the type check sits last so it runs first.
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @Max(PAGE_SIZE_MAX)
  @Min(1)
  @IsInt()
  limit?: number;
}
