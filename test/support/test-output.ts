import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadPathsConfig, REPO_ROOT } from '@logstream/config';

/** The file of figures in the test output folder, one JSON record a line. */
export const FIGURES_FILE = 'figures.jsonl';
/** What scripts/test.sh writes there when the run ends: which suite, its counts, the commit. */
export const SUMMARY_FILE = 'summary.json';

export interface FigureRecord {
  scenario: string;
  /** The spec's source, relative to the repository (`test/integration/x.spec.ts`). */
  spec: string;
  text: string;
  at: string;
}

/**
 * Where a test run leaves what it measured besides pass and fail: figures and screenshots, which
 * `npm run docs:tests` turns into docs/. scripts/test.sh empties it when a run starts, so it
 * always holds one run.
 */
export function testOutputDir(): string {
  const dir = path.join(loadPathsConfig().dataDir, 'test-output');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Prints `text` and keeps it for docs/test-figures.md under `scenario`; `specFile` is the
 * calling spec's `__filename`. Figures in the docs come from here, never copied by hand.
 */
export function recordFigures(specFile: string, scenario: string, text: string): void {
  console.log(text);
  const spec = path
    .relative(path.join(REPO_ROOT, 'dist'), specFile)
    .replace(/\.js$/, '.ts')
    .split(path.sep)
    .join('/');
  const record: FigureRecord = { scenario, spec, text, at: new Date().toISOString() };
  appendFileSync(path.join(testOutputDir(), FIGURES_FILE), `${JSON.stringify(record)}\n`);
}
