import { loadPathsConfig } from '@logstream/config';
import { ensureDevPki } from './dev-pki.service';

/** `node dist/libs/pki/src/dev-pki.cli.js`: makes the development PKI (idempotent). */
async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(
      'Usage: dev-pki\nMakes the development CA, broker and platform certificates under LOGSTREAM_PKI_DIR (default .data/pki); keeps existing ones.',
    );
    return;
  }
  const { pkiDir } = loadPathsConfig();
  const { created } = await ensureDevPki(pkiDir);
  console.log(
    created.length > 0
      ? `dev PKI: created ${created.join(', ')}`
      : `dev PKI: up to date in ${pkiDir}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
