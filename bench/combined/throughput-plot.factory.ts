import type { PeerResult } from '../edge/edge-report.factory';

function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '')}"`;
}

/** One gnuplot data block: a row per codec, a column per peer (NaN where a peer has no run). */
function dataBlock(
  name: string,
  results: readonly PeerResult[],
  peers: readonly string[],
  codecs: readonly string[],
  value: (r: PeerResult) => number,
): string[] {
  return [
    `$${name} << EOD`,
    ['codec', ...peers].map(quoted).join(' '),
    ...codecs.map((codec) =>
      [
        codec,
        ...peers.map((peer) => {
          const r = results.find((x) => x.peer === peer && x.compression === codec);
          return r ? String(value(r)) : 'NaN';
        }),
      ].join(' '),
    ),
    'EOD',
  ];
}

/**
 * A gnuplot script drawing, side by side, lines/s and CPU-s per million lines for each peer,
 * clustered by codec, into `pngPath` (pngcairo).
 */
export function throughputPlotScript(
  results: readonly PeerResult[],
  pngPath: string,
  title: string,
): string {
  const peers = [...new Set(results.map((r) => r.peer))];
  const codecs = [...new Set(results.map((r) => r.compression))];
  const columns = (block: string) =>
    peers
      .map((_, i) =>
        i === 0
          ? `${block} using 2:xtic(1) title columnheader(2)`
          : `'' using ${i + 2} title columnheader(${i + 2})`,
      )
      .join(', ');
  return [
    ...dataBlock('rate', results, peers, codecs, (r) => r.linesPerS),
    ...dataBlock('cpu', results, peers, codecs, (r) => r.cpuSPerMillion),
    `set terminal pngcairo size 1400,560 font "sans,11"`,
    `set output ${quoted(pngPath)}`,
    'set style data histograms',
    'set style histogram clustered gap 1',
    'set style fill solid 0.85 border -1',
    'set boxwidth 0.9',
    'set key below horizontal',
    'set grid ytics',
    'set yrange [0:*]',
    `set multiplot layout 1,2 title ${quoted(title)}`,
    'set title "lines/s (higher is better)"',
    'set format y "%.0f"',
    `plot ${columns('$rate')}`,
    'set title "CPU-s per million lines (lower is better)"',
    'set format y "%.1f"',
    `plot ${columns('$cpu')}`,
    'unset multiplot',
    '',
  ].join('\n');
}
