/** A line the edge should deliver: to `topic`, with exactly these bytes, starting `seq=<n> `. */
export interface ExpectedLine {
  topic: string;
  value: Buffer;
}

export interface DeliveryReport {
  expected: number;
  /** Messages read back, in all topics. */
  read: number;
  /** Expected lines read exactly once. */
  deliveredOnce: number;
  lost: number[];
  duplicated: number[];
  /** Messages in a topic other than their line's, or with no known sequence number. */
  misrouted: string[];
  /** Messages whose bytes differ from their line's. */
  altered: number[];
}

const SEQ = /^seq=(\d+) /;

/**
 * Compares what a consumer read (values per topic) with the lines the edge was given, line by
 * line: each `expected[seq]` must be in its own topic exactly once, byte for byte.
 */
export function checkDelivery(
  expected: ReadonlyArray<ExpectedLine | undefined>,
  got: ReadonlyMap<string, readonly Buffer[]>,
): DeliveryReport {
  const seen = new Uint32Array(expected.length);
  const report: DeliveryReport = {
    expected: expected.filter(Boolean).length,
    read: 0,
    deliveredOnce: 0,
    lost: [],
    duplicated: [],
    misrouted: [],
    altered: [],
  };
  for (const [topic, values] of got) {
    for (const value of values) {
      report.read++;
      const m = SEQ.exec(value.subarray(0, 32).toString('latin1'));
      const seq = m ? Number(m[1]) : -1;
      const want = seq >= 0 ? expected[seq] : undefined;
      if (!want || want.topic !== topic) {
        report.misrouted.push(`${topic}: ${value.subarray(0, 80).toString('latin1')}`);
        continue;
      }
      if (!want.value.equals(value)) report.altered.push(seq);
      seen[seq]++;
    }
  }
  expected.forEach((line, seq) => {
    if (!line) return;
    if (seen[seq] === 0) report.lost.push(seq);
    else if (seen[seq] > 1) report.duplicated.push(seq);
    else report.deliveredOnce++;
  });
  return report;
}

/** The first few of a list, for assertion messages that stay readable. */
export function some(list: readonly unknown[]): string {
  return `${list.length}${list.length ? `: ${list.slice(0, 10).join(', ')}` : ''}`;
}
