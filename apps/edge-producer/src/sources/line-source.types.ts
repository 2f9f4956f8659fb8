import type { FilePosition } from '@logstream/edge';

/** A file source moved on to another file: the reader's partial line ends (or is dropped). */
export interface FileSwitch {
  kind: 'switch';
  /** Truncation: the partial line's rest is gone, so it is dropped rather than sent cut. */
  discardPartial: boolean;
}

export type SourceEvent = Buffer | FileSwitch;

/** Where lines come from. Chunks are raw bytes; the pipeline cuts them into lines. */
export interface LineSource {
  readonly name: string;
  events(): AsyncGenerator<SourceEvent, void, undefined>;
  /** Makes `events()` end soon; lines already yielded are still processed. */
  stop(): void;
  /** File sources: the position `unconsumed` bytes before what was yielded so far. */
  positionAt?(unconsumed: number): FilePosition | undefined;
  savePosition?(position: FilePosition): Promise<void>;
  /** Restarts of an exec command, rotations of a file: for the counters. */
  onRestart?: () => void;
  onRotation?: () => void;
}
