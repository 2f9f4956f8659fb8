import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { StreamingStatus } from '@logstream/control';
import { STREAMING_STATES, type StreamingState } from '@logstream/persistence';

export class SetStreamingDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  enabled!: boolean;
}

export class StreamingStatusDto implements StreamingStatus {
  @ApiProperty({ description: 'The desired state' }) enabled!: boolean;
  @ApiProperty({ enum: STREAMING_STATES, description: 'What the provisioner reports' })
  state!: StreamingState;
  @ApiProperty({ example: 'cdn-logs.acme' }) topic!: string;
  @ApiProperty({ type: [String], example: ['kafka.example.net:9094'] })
  bootstrapServers!: string[];
  @ApiProperty({ example: 'acme.' }) consumerGroupPrefix!: string;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the state last changed' })
  updatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activeSince!: Date | null;
  @ApiProperty() generation!: number;
  @ApiProperty() observedGeneration!: number;
}
