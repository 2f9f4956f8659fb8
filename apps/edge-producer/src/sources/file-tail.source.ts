import {
  type FileHandle,
  open,
  readdir,
  readFile,
  rename,
  stat,
  writeFile,
} from 'node:fs/promises';
import * as path from 'node:path';
import {
  checkTail,
  decodePosition,
  encodePosition,
  type FilePosition,
  type FileSourceConfig,
  type FileStat,
  planStart,
} from '@logstream/edge';
import type { LineSource, SourceEvent } from './line-source.types';

const READ_BYTES = 256 * 1024;

async function statOf(file: string): Promise<FileStat | undefined> {
  try {
    const s = await stat(file, { bigint: true });
    return s.isFile()
      ? { dev: String(s.dev), ino: String(s.ino), size: Number(s.size) }
      : undefined;
  } catch {
    return undefined;
  }
}

async function fstatOf(fh: FileHandle): Promise<FileStat> {
  const s = await fh.stat({ bigint: true });
  return { dev: String(s.dev), ino: String(s.ino), size: Number(s.size) };
}

/**
 * Tails a log file the way rotation leaves it: a file is followed by identity (device, inode),
 * so a rename hands over to the new file once the old one is read to its end, and truncation
 * starts again at 0. The position file records, after the producer confirmed delivery, where
 * the next unsent whole line starts, so a restart (even after kill -9) loses no line and
 * repeats at most the lines sent since the last checkpoint.
 */
export class FileTailSource implements LineSource {
  readonly name: string;
  onRestart?: () => void;
  onRotation?: () => void;
  private fh: FileHandle | undefined;
  private current: { path: string; dev: string; ino: string } | undefined;
  private offset = 0;
  private stopped = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly file: string,
    private readonly config: FileSourceConfig,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
  ) {
    this.name = `file:${file}`;
  }

  async *events(): AsyncGenerator<SourceEvent, void, undefined> {
    const saved = await this.loadPosition();
    const plan = planStart(
      saved,
      await statOf(this.file),
      saved ? await this.findRotated(saved) : undefined,
      this.config.startAt,
    );
    this.log('file source start', { file: this.file, note: plan.note });
    try {
      if (plan.rotated) {
        await this.openAt(plan.rotated.path, plan.rotated.offset);
        yield* this.readToEnd();
        yield this.switched(false);
      }
      let startOffset = plan.currentOffset;
      while (startOffset === undefined && !this.stopped) {
        await this.pause();
        startOffset = (await statOf(this.file)) ? 0 : undefined;
      }
      if (this.stopped) return;
      await this.openAt(this.file, startOffset ?? 0);
      while (!this.stopped) {
        yield* this.readToEnd();
        if (this.stopped) return;
        const open = this.fh ? { ...(await fstatOf(this.fh)), offset: this.offset } : undefined;
        if (!open) return;
        const check = checkTail(open, await statOf(this.file));
        switch (check) {
          case 'same':
          case 'missing':
            await this.pause();
            break;
          case 'truncated':
            this.log('file truncated; reading it again from the start', { file: this.file });
            this.offset = 0;
            yield this.switched(true);
            break;
          case 'rotated':
            // The writer may still finish a line in the old file before it reopens: one last look.
            await this.pause();
            yield* this.readToEnd();
            await this.openAt(this.file, 0);
            this.log('file rotated; following the new file', { file: this.file });
            yield this.switched(false);
            break;
        }
      }
    } finally {
      await this.fh?.close().catch(() => undefined);
    }
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  positionAt(unconsumed: number): FilePosition | undefined {
    if (!this.current) return undefined;
    return { ...this.current, offset: this.offset - unconsumed };
  }

  /** Atomic: a crash leaves the old position or the new one, never half a file. */
  async savePosition(position: FilePosition): Promise<void> {
    const tmp = `${this.config.positionFile}.tmp`;
    await writeFile(tmp, encodePosition(position));
    await rename(tmp, this.config.positionFile);
  }

  private switched(discardPartial: boolean): SourceEvent {
    this.onRotation?.();
    return { kind: 'switch', discardPartial };
  }

  private async *readToEnd(): AsyncGenerator<Buffer, void, undefined> {
    const fh = this.fh;
    if (!fh) return;
    while (!this.stopped) {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await fh.read(buf, 0, READ_BYTES, this.offset);
      if (bytesRead === 0) return;
      this.offset += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  }

  private async openAt(file: string, offset: number): Promise<void> {
    await this.fh?.close().catch(() => undefined);
    this.fh = await open(file, 'r');
    const s = await fstatOf(this.fh);
    this.current = { path: file, dev: s.dev, ino: s.ino };
    this.offset = offset;
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.config.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loadPosition(): Promise<FilePosition | undefined> {
    let text: string;
    try {
      text = await readFile(this.config.positionFile, 'utf8');
    } catch {
      return undefined;
    }
    const decoded = decodePosition(text);
    if (decoded.ok) return decoded.position;
    this.log('position file unreadable; starting as if there were none', {
      file: this.config.positionFile,
      reason: decoded.reason,
    });
    return undefined;
  }

  /** The file rotated away while stopped: same identity as the saved position, beside the log. */
  private async findRotated(
    saved: FilePosition,
  ): Promise<{ path: string; stat: FileStat } | undefined> {
    const dir = path.dirname(this.file);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const candidate = path.join(dir, name);
      const s = await statOf(candidate);
      if (s && s.dev === saved.dev && s.ino === saved.ino) return { path: candidate, stat: s };
    }
    return undefined;
  }
}
