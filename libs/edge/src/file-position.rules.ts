/**
 * Where the file source stands, and what to do about rotation. A file is known by its device
 * and inode, not its name: rotation by rename gives the name a new inode, truncation keeps the
 * inode and shrinks the file. Pure decisions; the tailer does the I/O.
 */

export interface FileIdentity {
  /** Decimal strings: inode numbers can exceed what a double holds exactly. */
  dev: string;
  ino: string;
}

export interface FileStat extends FileIdentity {
  size: number;
}

/** The saved position: every whole line before `offset` was delivered. */
export interface FilePosition extends FileIdentity {
  path: string;
  offset: number;
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export function encodePosition(p: FilePosition): string {
  return `${JSON.stringify({ version: 1, path: p.path, dev: p.dev, ino: p.ino, offset: p.offset })}\n`;
}

export type DecodedPosition = { ok: true; position: FilePosition } | { ok: false; reason: string };

export function decodePosition(text: string): DecodedPosition {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof v !== 'object' || v === null) return { ok: false, reason: 'not an object' };
  const r = v as Record<string, unknown>;
  if (r.version !== 1) return { ok: false, reason: `unknown version ${String(r.version)}` };
  const digits = (x: unknown): x is string => typeof x === 'string' && /^\d{1,20}$/.test(x);
  if (typeof r.path !== 'string' || !digits(r.dev) || !digits(r.ino)) {
    return { ok: false, reason: 'path, dev or ino missing' };
  }
  if (typeof r.offset !== 'number' || !Number.isSafeInteger(r.offset) || r.offset < 0) {
    return { ok: false, reason: 'offset is not a whole number' };
  }
  return { ok: true, position: { path: r.path, dev: r.dev, ino: r.ino, offset: r.offset } };
}

export interface StartPlan {
  /** A file rotated away while the producer was stopped: finish it from here first. */
  rotated?: { path: string; offset: number };
  /** Where to begin in the file at the configured path; undefined: it does not exist yet. */
  currentOffset: number | undefined;
  /** Why, in words for the start-up log. */
  note: string;
}

/**
 * Where to begin at start. `current` is the file at the configured path (undefined if none);
 * `rotated` is a file near it that has the saved position's identity, when one was found.
 */
export function planStart(
  saved: FilePosition | undefined,
  current: FileStat | undefined,
  rotated: { path: string; stat: FileStat } | undefined,
  startAt: 'beginning' | 'end',
): StartPlan {
  const rotatedFirst =
    saved && rotated && sameFile(saved, rotated.stat) && (!current || !sameFile(saved, current))
      ? {
          path: rotated.path,
          offset: saved.offset <= rotated.stat.size ? saved.offset : 0,
        }
      : undefined;
  if (current === undefined) {
    return {
      rotated: rotatedFirst,
      currentOffset: undefined,
      note: rotatedFirst
        ? 'finishing the rotated file; waiting for the new one'
        : 'waiting for the file',
    };
  }
  if (saved === undefined) {
    return {
      currentOffset: startAt === 'end' ? current.size : 0,
      note: `no saved position: starting at the ${startAt}`,
    };
  }
  if (sameFile(saved, current)) {
    return saved.offset <= current.size
      ? { currentOffset: saved.offset, note: 'resuming at the saved position' }
      : { currentOffset: 0, note: 'the file was truncated while stopped: starting at 0' };
  }
  return {
    rotated: rotatedFirst,
    currentOffset: 0,
    note: rotatedFirst
      ? `rotated while stopped: finishing ${rotatedFirst.path} first`
      : 'rotated while stopped and the old file is gone: starting the new file at 0',
  };
}

export type TailCheck = 'same' | 'truncated' | 'rotated' | 'missing';

/**
 * What happened to the tailed file, seen at end of file: `open` is the file being read (its
 * identity and our read offset, and its size through the open descriptor), `atPath` is whatever
 * the configured path names now.
 */
export function checkTail(
  open: FileIdentity & { offset: number; size: number },
  atPath: FileStat | undefined,
): TailCheck {
  if (open.size < open.offset) return 'truncated';
  if (atPath === undefined) return 'missing';
  return sameFile(open, atPath) ? 'same' : 'rotated';
}
