import { mkdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** Percentile by nearest rank over a copy of `values` (ms). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // The epsilon keeps float error (0.999 * 1000 = 999.0000000000001) from skipping a rank.
  const rank = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length - 1e-9) - 1),
  );
  return sorted[rank];
}

export function machineSummary(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Writes `<name>.md` (for people) and `<name>.json` (raw figures) under `dir`. */
export async function writeResults(
  dir: string,
  name: string,
  markdown: string,
  raw: unknown,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.md`), markdown);
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(raw, null, 2)}\n`);
  return path.join(dir, `${name}.md`);
}

/** Writes the results (see {@link writeResults}), says where, and prints the markdown. */
export async function publishResults(
  dir: string,
  name: string,
  markdown: string,
  raw: unknown,
): Promise<void> {
  progress(`results: ${await writeResults(dir, name, markdown, raw)}`);
  process.stdout.write(markdown);
}

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export function failAndExit(err: unknown): never {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
}
