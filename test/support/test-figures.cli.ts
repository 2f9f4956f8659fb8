import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '@logstream/config';
import { TEST_FIGURES_PATH, type TestRunSummary, testFiguresReport } from './test-figures.factory';
import { FIGURES_FILE, type FigureRecord, SUMMARY_FILE, testOutputDir } from './test-output';

const HELP = `npm run docs:tests [-- --allow-partial]

Writes ${TEST_FIGURES_PATH} from the figures the last \`npm test\` recorded, and copies its
screenshots (the panel's) into docs/. Refuses a run that was not the whole suite or had failures,
unless --allow-partial.`;

function main(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--allow-partial');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown[0]}\n\n${HELP}\n`);
    return 2;
  }
  const dir = testOutputDir();
  const summaryFile = path.join(dir, SUMMARY_FILE);
  if (!existsSync(summaryFile)) {
    process.stderr.write(`no finished test run in ${dir}: run npm test first\n`);
    return 2;
  }
  const run = JSON.parse(readFileSync(summaryFile, 'utf8')) as TestRunSummary;
  if ((run.suite !== 'all' || run.failed > 0) && !args.includes('--allow-partial')) {
    process.stderr.write(
      `the last run was suite ${run.suite} with ${run.failed} failed; docs come from a whole, green run (or pass --allow-partial)\n`,
    );
    return 2;
  }
  const figuresFile = path.join(dir, FIGURES_FILE);
  const records = existsSync(figuresFile)
    ? readFileSync(figuresFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FigureRecord)
    : [];
  writeFileSync(path.join(REPO_ROOT, TEST_FIGURES_PATH), testFiguresReport(run, records));
  const images = readdirSync(dir).filter((f) => f.endsWith('.png'));
  for (const image of images)
    copyFileSync(path.join(dir, image), path.join(REPO_ROOT, 'docs', image));
  process.stderr.write(
    `wrote ${TEST_FIGURES_PATH} (${records.length} figures) and ${images.length} screenshots into docs/\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
