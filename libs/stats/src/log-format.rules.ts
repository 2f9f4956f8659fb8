/**
 * Access-log line parsing from Buffers, driven by a varnishncsa-style format string. The format
 * is compiled once into literals and fields; a line is parsed by finding each literal in turn,
 * so no string is allocated per line (fields are byte ranges into the line's Buffer).
 */

/** What a field contributes; fields the statistics do not need are only skipped. */
export type FieldKind =
  'clientIp' | 'time' | 'request' | 'status' | 'bytes' | 'host' | 'epochMs' | 'epochSec' | 'skip';

export interface CompiledFormat {
  readonly source: string;
  /** literals[i] precedes fields[i]; literals[fields.length] ends the line (may be empty). */
  readonly literals: readonly Buffer[];
  readonly fields: readonly FieldKind[];
  /** With an epoch field the event time comes from it, and %t is only checked for its shape. */
  readonly hasEpoch: boolean;
}

/** One parsed line: byte ranges into the line and numbers. Reused between lines. */
export interface ParsedLine {
  ipStart: number;
  ipEnd: number;
  hostStart: number;
  hostEnd: number;
  pathStart: number;
  pathEnd: number;
  status: number;
  bytes: number;
  timeMs: number;
}

export function emptyParsedLine(): ParsedLine {
  return {
    ipStart: 0,
    ipEnd: 0,
    hostStart: 0,
    hostEnd: 0,
    pathStart: 0,
    pathEnd: 0,
    status: 0,
    bytes: 0,
    timeMs: 0,
  };
}

/** Named formats. `combined` is what the edge's systemd unit asks varnishncsa for. */
export const LOG_FORMAT_PRESETS: Readonly<Record<string, string>> = {
  combined: '%h %l %u %t "%r" %s %b "%{Referer}i" "%{User-agent}i"',
  // The traffic generator (and so `npm run dev` and the benchmarks) appends the edge time in ms.
  'combined-msec': '%h %l %u %t "%r" %s %b "%{Referer}i" "%{User-agent}i" %{msec}t',
};

export class LogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogFormatError';
  }
}

function fieldOf(name: string, arg: string | undefined): FieldKind {
  switch (name) {
    case 'h':
      return 'clientIp';
    case 't':
      if (arg === undefined) return 'time';
      if (arg === 'msec') return 'epochMs';
      if (arg === 'sec') return 'epochSec';
      return 'skip';
    case 'r':
      return 'request';
    case 's':
      return 'status';
    case 'b':
      return 'bytes';
    case 'i':
      return arg !== undefined && arg.toLowerCase() === 'host' ? 'host' : 'skip';
    case 'l':
    case 'u':
    case 'm':
    case 'q':
    case 'U':
    case 'H':
    case 'D':
    case 'T':
    case 'I':
    case 'O':
    case 'o':
    case 'x':
      return 'skip';
    default:
      throw new LogFormatError(`unsupported format directive %${arg ? `{${arg}}` : ''}${name}`);
  }
}

/** Compiles a preset name or a format string; throws {@link LogFormatError} on a bad one. */
export function compileLogFormat(formatOrPreset: string): CompiledFormat {
  const source = LOG_FORMAT_PRESETS[formatOrPreset] ?? formatOrPreset;
  const literals: Buffer[] = [];
  const fields: FieldKind[] = [];
  let literal = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c !== '%') {
      literal += c;
      continue;
    }
    let j = i + 1;
    if (source[j] === '%') {
      literal += '%';
      i = j;
      continue;
    }
    let arg: string | undefined;
    if (source[j] === '{') {
      const close = source.indexOf('}', j);
      if (close < 0) throw new LogFormatError(`unclosed %{ in format "${source}"`);
      arg = source.slice(j + 1, close);
      j = close + 1;
    }
    const name = source[j];
    if (name === undefined) throw new LogFormatError(`format "${source}" ends in a bare %`);
    if (fields.length > 0 && literal === '') {
      throw new LogFormatError(`fields must be separated by literal text in "${source}"`);
    }
    literals.push(Buffer.from(literal, 'latin1'));
    fields.push(fieldOf(name, arg));
    literal = '';
    i = j;
  }
  literals.push(Buffer.from(literal, 'latin1'));
  if (!fields.includes('status')) throw new LogFormatError(`format "${source}" has no %s`);
  if (!fields.includes('time') && !fields.includes('epochMs') && !fields.includes('epochSec')) {
    throw new LogFormatError(`format "${source}" has no time (%t, %{msec}t or %{sec}t)`);
  }
  const hasEpoch = fields.includes('epochMs') || fields.includes('epochSec');
  return { source, literals, fields, hasEpoch };
}

const MONTH_BY_KEY: Record<number, number> = {};
['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].forEach(
  (m, i) => (MONTH_BY_KEY[(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2)] = i),
);

/** Digits in buf[start, end) as a number, or -1 when the range is empty or not all digits. */
function digits(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** `[dd/Mon/yyyy:HH:MM:SS +zzzz]` (brackets included) to ms since the epoch, or -1. */
function clfTimeMs(buf: Buffer, start: number, end: number): number {
  if (end - start !== 28 || buf[start] !== 0x5b || buf[end - 1] !== 0x5d) return -1;
  const s = start + 1;
  const day = digits(buf, s, s + 2);
  const month =
    MONTH_BY_KEY[(buf[s + 3] << 16) | (buf[s + 4] << 8) | buf[s + 5]] ?? (undefined as unknown);
  const year = digits(buf, s + 7, s + 11);
  const hour = digits(buf, s + 12, s + 14);
  const minute = digits(buf, s + 15, s + 17);
  const second = digits(buf, s + 18, s + 20);
  const sign = buf[s + 21];
  const zh = digits(buf, s + 22, s + 24);
  const zm = digits(buf, s + 24, s + 26);
  if (
    typeof month !== 'number' ||
    buf[s + 2] !== 0x2f ||
    buf[s + 6] !== 0x2f ||
    buf[s + 11] !== 0x3a ||
    buf[s + 14] !== 0x3a ||
    buf[s + 17] !== 0x3a ||
    buf[s + 20] !== 0x20 ||
    (sign !== 0x2b && sign !== 0x2d) ||
    day < 1 ||
    day > 31 ||
    year < 1970 ||
    hour > 23 ||
    minute > 59 ||
    second > 60 ||
    zh < 0 ||
    zm < 0
  ) {
    return -1;
  }
  const offsetMs = (zh * 60 + zm) * 60_000 * (sign === 0x2b ? 1 : -1);
  return Date.UTC(year, month, day, hour, minute, second) - offsetMs;
}

/** Index of `needle` in buf[from, to), or -1. Short needles: a byte loop beats indexOf here. */
function find(buf: Buffer, needle: Buffer, from: number, to: number): number {
  const n = needle.length;
  if (n === 1) {
    const b = needle[0];
    for (let i = from; i < to; i++) if (buf[i] === b) return i;
    return -1;
  }
  const first = needle[0];
  outer: for (let i = from; i <= to - n; i++) {
    if (buf[i] !== first) continue;
    for (let k = 1; k < n; k++) if (buf[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/**
 * `METHOD SP target SP PROTOCOL`; the target may be absolute (varnishncsa's %r writes
 * `http://<Host><url>`), then the host comes from it. The path is the target without its query.
 */
function parseRequest(buf: Buffer, start: number, end: number, out: ParsedLine): boolean {
  const sp1 = find(buf, SPACE, start, end);
  if (sp1 <= start) return false;
  let sp2 = -1;
  for (let i = end - 1; i > sp1; i--) {
    if (buf[i] === 0x20) {
      sp2 = i;
      break;
    }
  }
  if (sp2 < 0 || sp2 === sp1 + 1) return false;
  let pathStart = sp1 + 1;
  if (buf[pathStart] !== 0x2f) {
    const scheme = find(buf, SCHEME_SEP, pathStart, sp2);
    if (scheme < 0 || scheme - pathStart > 5) return false;
    const hostStart = scheme + 3;
    let slash = find(buf, SLASH, hostStart, sp2);
    if (slash < 0) slash = sp2;
    if (out.hostEnd === 0) {
      out.hostStart = hostStart;
      out.hostEnd = slash;
    }
    pathStart = slash;
  }
  const q = find(buf, QUESTION, pathStart, sp2);
  out.pathStart = pathStart;
  out.pathEnd = q < 0 ? sp2 : q;
  return true;
}

const SPACE = Buffer.from(' ');
const SLASH = Buffer.from('/');
const QUESTION = Buffer.from('?');
const SCHEME_SEP = Buffer.from('://');

/**
 * Parses buf[start, end) (one line, without its newline) into `out`. Returns false when the
 * line does not match the format: such a line is counted as unparsed, never guessed at.
 */
export function parseLogLine(
  format: CompiledFormat,
  buf: Buffer,
  start: number,
  end: number,
  out: ParsedLine,
): boolean {
  const { literals, fields } = format;
  out.ipStart = out.ipEnd = out.hostStart = out.hostEnd = out.pathStart = out.pathEnd = 0;
  out.status = -1;
  out.bytes = 0;
  out.timeMs = -1;
  let timeSec = -1;
  let pos = start;
  const lead = literals[0];
  if (lead.length > 0) {
    if (find(buf, lead, pos, pos + lead.length) !== pos) return false;
    pos += lead.length;
  }
  for (let f = 0; f < fields.length; f++) {
    const next = literals[f + 1];
    let fieldEnd: number;
    if (f === fields.length - 1) {
      fieldEnd = end - next.length;
      if (fieldEnd < pos || (next.length > 0 && find(buf, next, fieldEnd, end) !== fieldEnd)) {
        return false;
      }
    } else {
      fieldEnd = find(buf, next, pos, end);
      if (fieldEnd < 0) return false;
    }
    switch (fields[f]) {
      case 'clientIp':
        if (fieldEnd === pos) return false;
        out.ipStart = pos;
        out.ipEnd = fieldEnd;
        break;
      case 'time':
        if (format.hasEpoch) {
          if (fieldEnd - pos !== 28 || buf[pos] !== 0x5b || buf[fieldEnd - 1] !== 0x5d)
            return false;
          break;
        }
        timeSec = clfTimeMs(buf, pos, fieldEnd);
        if (timeSec < 0) return false;
        break;
      case 'epochMs': {
        const ms = digits(buf, pos, fieldEnd);
        if (ms < 0) return false;
        out.timeMs = ms;
        break;
      }
      case 'epochSec': {
        const sec = digits(buf, pos, fieldEnd);
        if (sec < 0) return false;
        out.timeMs = sec * 1000;
        break;
      }
      case 'request':
        if (!parseRequest(buf, pos, fieldEnd, out)) return false;
        break;
      case 'status': {
        const s = fieldEnd - pos === 3 ? digits(buf, pos, fieldEnd) : -1;
        if (s < 100 || s > 599) return false;
        out.status = s;
        break;
      }
      case 'bytes': {
        if (fieldEnd - pos === 1 && buf[pos] === 0x2d) {
          out.bytes = 0;
          break;
        }
        const b = digits(buf, pos, fieldEnd);
        if (b < 0) return false;
        out.bytes = b;
        break;
      }
      case 'host':
        out.hostStart = pos;
        out.hostEnd = fieldEnd;
        break;
      case 'skip':
        break;
    }
    pos = fieldEnd + next.length;
  }
  if (out.timeMs < 0) out.timeMs = timeSec;
  return out.timeMs >= 0 && out.status > 0;
}
