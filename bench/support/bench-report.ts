import { mkdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export const RESULTS_DIR = path.resolve(__dirname, '../../../bench/results');

/** Percentile by nearest rank over a copy of `values` (ms). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function machineSummary(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Writes `<name>.md` (for people) and `<name>.json` (raw figures) under bench/results. */
export async function writeResults(name: string, markdown: string, raw: unknown): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${name}.md`), markdown);
  await writeFile(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(raw, null, 2)}\n`);
  return path.join(RESULTS_DIR, `${name}.md`);
}

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
