import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import {
  type ArchiveSettingsInput,
  type ArchiveStatusView,
  type ArchiveVerificationView,
  type ArchiveView,
  DEFAULT_PATH_PREFIX,
  FLUSH_LIMITS,
} from '@logstream/archive';
import {
  ARCHIVE_COMPRESSIONS,
  ARCHIVE_STATES,
  type ArchiveCompression,
} from '@logstream/persistence';

// Shapes only: the ranges and formats are checked in libs/archive with messages that say why.

export class FlushSettingsDto {
  @ApiPropertyOptional({ minimum: 30, maximum: 300, default: FLUSH_LIMITS.intervalSeconds.default })
  @IsOptional()
  @IsInt()
  intervalSeconds?: number;

  @ApiPropertyOptional({
    minimum: FLUSH_LIMITS.maxBytes.min,
    maximum: FLUSH_LIMITS.maxBytes.max,
    default: FLUSH_LIMITS.maxBytes.default,
    description: 'Uncompressed bytes of lines in one object',
  })
  @IsOptional()
  @IsInt()
  maxBytes?: number;

  @ApiPropertyOptional({
    minimum: FLUSH_LIMITS.maxLines.min,
    maximum: FLUSH_LIMITS.maxLines.max,
    default: FLUSH_LIMITS.maxLines.default,
  })
  @IsOptional()
  @IsInt()
  maxLines?: number;
}

export class PutArchiveDto implements ArchiveSettingsInput {
  @ApiProperty({ example: 'https://s3.eu-west-1.amazonaws.com' })
  @Length(1, 2048)
  @IsString()
  endpoint!: string;

  @ApiProperty({ example: 'acme-cdn-logs' })
  @Length(1, 63)
  @IsString()
  bucket!: string;

  @ApiPropertyOptional({ default: 'us-east-1' })
  @IsOptional()
  @Length(1, 64)
  @IsString()
  region?: string;

  @ApiPropertyOptional({
    default: DEFAULT_PATH_PREFIX,
    description: '{DATE} becomes the UTC day (YYYYMMDD, or dt=YYYY-MM-DD with hivePartitioning)',
  })
  @IsOptional()
  @Length(1, 512)
  @IsString()
  pathPrefix?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  hivePartitioning?: boolean;

  @ApiProperty({ example: 'AKIAIOSFODNN7EXAMPLE' })
  @Length(1, 256)
  @IsString()
  accessKeyId!: string;

  @ApiPropertyOptional({
    description: 'Required the first time; stored encrypted, never returned. Leave out to keep it.',
    writeOnly: true,
  })
  @IsOptional()
  @Length(1, 256)
  @IsString()
  secretAccessKey?: string;

  @ApiPropertyOptional({ enum: ARCHIVE_COMPRESSIONS, default: 'gzip' })
  @IsOptional()
  @IsIn(ARCHIVE_COMPRESSIONS)
  compression?: ArchiveCompression;

  @ApiPropertyOptional({ type: FlushSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => FlushSettingsDto)
  flush?: FlushSettingsDto;
}

export class VerifyArchiveDto {
  @ApiProperty({ description: 'The token from the challenge object Logstream wrote' })
  @Length(1, 200)
  @IsString()
  token!: string;
}

export class ArchiveFlushDto {
  @ApiProperty() intervalSeconds!: number;
  @ApiProperty() maxBytes!: number;
  @ApiProperty() maxLines!: number;
}

export class ArchiveVerificationDto implements ArchiveVerificationView {
  @ApiProperty() verified!: boolean;
  @ApiProperty({ type: String, enum: ['challenge', 'admin'], nullable: true })
  method!: 'challenge' | 'admin' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) challengeObjectKey!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  challengeWrittenAt!: Date | null;
}

export class ArchiveStatusDto implements ArchiveStatusView {
  @ApiProperty({ enum: [...ARCHIVE_STATES, 'stopped'] }) state!: ArchiveStatusView['state'];
  @ApiProperty({ example: 'catching up, 12 minutes behind' }) summary!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUploadAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) lastObjectKey!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastErrorAt!: Date | null;
  @ApiProperty() uploadsOk!: number;
  @ApiProperty() uploadsFailed!: number;
  @ApiProperty() linesDelivered!: number;
  @ApiProperty({ description: 'Compressed bytes stored' }) bytesDelivered!: number;
  @ApiProperty({ description: 'Lines that left Kafka retention before delivery' })
  linesLost!: number;
  @ApiProperty({ description: 'Age of the oldest line not yet stored' }) behindSeconds!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: Date | null;
}

export class ArchiveDto implements ArchiveView {
  @ApiProperty() customerId!: string;
  @ApiProperty() endpoint!: string;
  @ApiProperty() bucket!: string;
  @ApiProperty() region!: string;
  @ApiProperty() pathPrefix!: string;
  @ApiProperty() hivePartitioning!: boolean;
  @ApiProperty() accessKeyId!: string;
  @ApiProperty({ enum: [true], description: 'The secret is stored (encrypted) and never shown' })
  secretAccessKeySet!: true;
  @ApiProperty({ enum: ARCHIVE_COMPRESSIONS }) compression!: ArchiveCompression;
  @ApiProperty({ type: ArchiveFlushDto }) flush!: ArchiveFlushDto;
  @ApiProperty({ type: ArchiveVerificationDto }) verification!: ArchiveVerificationDto;
  @ApiProperty({ type: ArchiveStatusDto }) status!: ArchiveStatusDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}
