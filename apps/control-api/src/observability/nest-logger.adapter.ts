import type { LoggerService } from '@nestjs/common';
import type { Logger, LogLevel } from '@logstream/observability';

/** Injection token of the app's {@link Logger} (an interface has no runtime token of its own). */
export const LOGGER = Symbol('Logger');

/**
 * Nest's logger interface on top of the platform's one logger, so Nest's own messages use the
 * same line schema as the API's events.
 */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.nest('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const [stack, context] = params.length >= 2 ? params : [undefined, params[0]];
    this.logger.error(String(message), {
      context: typeof context === 'string' ? context : undefined,
      stack: typeof stack === 'string' ? stack : undefined,
    });
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.nest('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.nest('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.nest('debug', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.nest('error', message, params);
  }

  private nest(level: LogLevel, message: unknown, params: unknown[]): void {
    const context = params.at(-1);
    this.logger.log(level, typeof message === 'string' ? message : JSON.stringify(message), {
      context: typeof context === 'string' ? context : undefined,
    });
  }
}
