import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  CredentialJob,
  CredentialResultMessage,
  CredentialWorkerData,
  MadeCredential,
} from './credential-issuing.types';

const WORKER_FILE = path.join(__dirname, 'credential-issuer.worker.js');

interface Pending {
  jobId: number;
  job: CredentialJob;
  resolve: (made: MadeCredential) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
}

/**
 * A fixed pool of worker threads that make credentials (key, certificate, PKCS#12, bundle
 * files), so the event loop keeps serving other requests meanwhile. Threads start on first use;
 * one that dies fails its job and is replaced. Jobs wait in order for a free thread.
 */
export class CredentialWorkers {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextJobId = 1;
  private closed = false;

  constructor(
    private readonly data: CredentialWorkerData,
    private readonly size: number,
  ) {}

  make(job: CredentialJob): Promise<MadeCredential> {
    if (this.closed) return Promise.reject(new Error('the credential workers are shut down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ jobId: this.nextJobId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Jobs waiting for a thread plus jobs running. */
  get load(): number {
    return this.queue.length + this.slots.filter((s) => s.busy !== undefined).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the API is shutting down'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === undefined);
      if (slot === undefined && this.slots.length < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const pending = this.queue.shift();
      if (pending === undefined) return;
      slot.busy = pending;
      slot.worker.postMessage({ jobId: pending.jobId, job: pending.job });
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_FILE, { workerData: this.data }) };
    slot.worker.on('message', (answer: CredentialResultMessage) => {
      const pending = slot.busy;
      if (pending?.jobId !== answer.jobId) return;
      slot.busy = undefined;
      if (answer.ok) pending.resolve(revive(answer.made));
      else pending.reject(new Error(`making the credential failed: ${answer.message}`));
      this.dispatch();
    });
    const fail = (err: Error) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.busy?.reject(err);
      slot.busy = undefined;
      if (!this.closed) this.dispatch();
    };
    slot.worker.on('error', (err) => fail(err));
    slot.worker.on('exit', (code) => fail(new Error(`a credential worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }
}

/** Structured clone turns Buffers into Uint8Arrays; archiver wants Buffers back. */
function revive(made: MadeCredential): MadeCredential {
  return {
    certificate: made.certificate,
    files: made.files.map((f) => ({
      ...f,
      content:
        typeof f.content === 'string'
          ? f.content
          : Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength),
    })),
  };
}
