import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from './process';

/**
 * Unzips with Python's zipfile (a reader independent of the archiver that wrote it) and
 * returns every file's content by its path inside the archive.
 */
export async function unzipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'logstream-zip-'));
  try {
    const file = path.join(dir, 'bundle.zip');
    const out = path.join(dir, 'out');
    await writeFile(file, zip);
    const res = await run('python3', [
      '-c',
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])',
      file,
      out,
    ]);
    if (res.code !== 0) throw new Error(`not a valid zip: ${res.stderr}`);
    const entries = new Map<string, Buffer>();
    for (const name of await readdir(out, { recursive: true })) {
      const full = path.join(out, name);
      const content = await readFile(full).catch(() => undefined);
      if (content !== undefined) entries.set(name.split(path.sep).join('/'), content);
    }
    return entries;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
