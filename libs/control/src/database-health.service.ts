import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class DatabaseHealthService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Resolves when the database answers a query; rejects with the driver's error otherwise. */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
