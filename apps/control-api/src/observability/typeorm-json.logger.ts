import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '@logstream/observability';

/**
 * TypeORM's messages through the JSON logger. Query parameters are never logged: they hold
 * token hashes and customer data.
 */
export class TypeOrmJsonLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}

  logQuery(): void {
    // Every query at debug level would drown the log; failures are logged below.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn('database query failed', {
      error: error instanceof Error ? error.message : error,
      query: query.slice(0, 200),
    });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn('slow database query', { ms: time, query: query.slice(0, 200) });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message, { context: 'TypeORM' });
  }

  logMigration(message: string): void {
    this.logger.info(message, { context: 'TypeORM' });
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger.log(level === 'warn' ? 'warn' : 'info', String(message), { context: 'TypeORM' });
  }
}
