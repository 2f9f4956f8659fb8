import { ConfigError } from '@logstream/config';
import { createLogger, errorMessage } from './json.logger';
import type { Logger, LogSink } from './log-line.types';

/** Exit codes every Logstream process uses. */
export const EXIT = { ok: 0, fatal: 1, config: 2 } as const;

export interface MainContext {
  /** Aborted at the first SIGTERM or SIGINT: stop taking work, finish what was taken, return. */
  readonly signal: AbortSignal;
  readonly argv: readonly string[];
  /** The runner's own logger (info level); apps make theirs from their configuration. */
  readonly logger: Logger;
}

export interface MainOptions {
  app: string;
  /** Printed to stdout for `--help` or `-h`, and the process exits 0. */
  help?: string;
  argv?: readonly string[];
  sink?: LogSink;
}

/**
 * Runs an app's main function and owns the process's end: the returned number (default 0) is
 * the exit code; a {@link ConfigError} prints its problems and exits 2; anything else thrown,
 * and any uncaught error, is logged as fatal and exits 1.
 */
export function runMain(
  options: MainOptions,
  main: (ctx: MainContext) => Promise<number | void>,
): void {
  const argv = options.argv ?? process.argv.slice(2);
  const logger = createLogger({ app: options.app, sink: options.sink });
  if (options.help !== undefined && (argv.includes('--help') || argv.includes('-h'))) {
    process.stdout.write(options.help.endsWith('\n') ? options.help : `${options.help}\n`);
    process.exit(EXIT.ok);
  }
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // A supervisor and a terminal may both signal; the stop already under way finishes.
      logger.info('already stopping', { signal });
      return;
    }
    logger.info('stopping', { signal });
    controller.abort(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const fatal = (what: string) => (err: unknown) => {
    logger.error(what, { error: errorMessage(err), stack: (err as Error | undefined)?.stack });
    process.exit(EXIT.fatal);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled promise rejection'));

  // A pending promise alone does not keep Node running; the process lives as long as main does.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  main({ signal: controller.signal, argv, logger }).then(
    (code) => process.exit(code ?? EXIT.ok),
    (err: unknown) => {
      clearInterval(keepAlive);
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(EXIT.config);
      }
      fatal(`${options.app} failed`)(err);
    },
  );
}

/** Resolves when `signal` is aborted (at once if it already is). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
