import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchUsage, type BenchSpec, parseBenchArgs } from './bench-args.rules';

const spec: BenchSpec<'lines' | 'stepSeconds'> = {
  name: 'bench:x',
  summary: 'Does x.',
  portBase: 19992,
  sizes: {
    lines: { help: 'lines per run', full: 2_000_000, quick: 100_000, min: 1000, max: 50_000_000 },
    stepSeconds: { help: 'seconds per step', full: 30, quick: 8, min: 1, max: 60 },
  },
};

describe('benchmark arguments', () => {
  it('uses the full sizes and the committed results folder by default', () => {
    assert.deepEqual(parseBenchArgs([], spec, '/repo'), {
      help: false,
      quick: false,
      portBase: 19992,
      resultsDir: '/repo/bench/results',
      sizes: { lines: 2_000_000, stepSeconds: 30 },
      paths: {},
    });
  });

  it('resolves a path option and lists it in --help', () => {
    const withPath: BenchSpec<'lines', 'baseline'> = {
      ...spec,
      sizes: { lines: spec.sizes.lines },
      paths: { baseline: 'another checkout' },
    };
    assert.deepEqual(parseBenchArgs([], withPath, '/r').paths, {});
    const a = parseBenchArgs(['--baseline', '/x/../y'], withPath, '/r');
    assert.equal(a.paths.baseline, '/y');
    assert.match(benchUsage(withPath), /--baseline DIR {2,}another checkout/);
  });

  it('uses the quick sizes and a folder of their own with --quick; a flag still wins', () => {
    const a = parseBenchArgs(['--quick', '--step-seconds', '3', '--port-base=23092'], spec, '/r');
    assert.deepEqual(a.sizes, { lines: 100_000, stepSeconds: 3 });
    assert.equal(a.portBase, 23092);
    assert.equal(a.resultsDir, '/r/bench/results/quick');
  });

  it('reports every bad value at once and refuses unknown options', () => {
    assert.throws(
      () => parseBenchArgs(['--lines', '10', '--step-seconds', 'x'], spec, '/r'),
      /--lines must be a whole number from 1000 to 50000000, got "10"\n--step-seconds must/,
    );
    assert.throws(() => parseBenchArgs(['--nope'], spec, '/r'), /Unknown option '--nope'/);
  });

  it('lists every option with both sizes in --help', () => {
    const help = benchUsage(spec);
    assert.match(help, /^Usage: npm run bench:x \[-- options\]/);
    assert.match(help, /--lines N\s+lines per run \(default 2,000,000; --quick 100,000\)/);
    assert.match(help, /--port-base P\s+port base of the dedicated broker \(default 19992\)/);
  });
});
