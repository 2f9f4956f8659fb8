import type { Logger as TypeOrmLogger } from 'typeorm';
import type { JsonLogger } from './json-logger.service';

/**
 * TypeORM's messages through the JSON logger. Query parameters are never logged: they hold
 * token hashes and customer data.
 */
export class TypeOrmJsonLogger implements TypeOrmLogger {
  constructor(private readonly logger: JsonLogger) {}

  logQuery(): void {
    // Every query at debug level would drown the log; failures are logged below.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.event('warn', 'database query failed', {
      error: error instanceof Error ? error.message : error,
      query: query.slice(0, 200),
    });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.event('warn', 'slow database query', { ms: time, query: query.slice(0, 200) });
  }

  logSchemaBuild(message: string): void {
    this.logger.event('debug', message, { context: 'TypeORM' });
  }

  logMigration(message: string): void {
    this.logger.event('info', message, { context: 'TypeORM' });
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger.event(level === 'warn' ? 'warn' : 'info', String(message), { context: 'TypeORM' });
  }
}
