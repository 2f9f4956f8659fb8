import { progress } from './bench-report';

const cleanups = new Set<() => Promise<void> | void>();
let installed = false;

/**
 * Runs `cleanup` if the benchmark is interrupted (SIGINT, SIGTERM: Ctrl-C, or the combined
 * runner's time limit), so no broker or peer process outlives it. Returns the unregister call.
 */
export function onInterrupt(cleanup: () => Promise<void> | void): () => void {
  if (!installed) {
    installed = true;
    const handler = (signal: NodeJS.Signals): void => {
      progress(`${signal}: stopping what this benchmark started`);
      void (async () => {
        for (const c of [...cleanups].reverse()) {
          try {
            await c();
          } catch (err) {
            progress(`cleanup failed: ${String(err)}`);
          }
        }
        process.exit(130);
      })();
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
