import { pkcs12Keystore } from '@logstream/pki';
import { BUNDLE_FILE_PATHS, bundleValues, validateBundleInput } from './bundle.rules';
import type { BundleFile, CredentialBundleInput } from './bundle.types';
import { clientProperties, filebeatExample, logstashExample } from './config-examples.factory';
import { kcatExample, pythonExample } from './example-programs.factory';
import { nodeExample } from './node-example.factory';
import { readme } from './readme.factory';

type BundlePath = (typeof BUNDLE_FILE_PATHS)[number];

/** Files holding the key or the p12 password: readable by their owner only once unzipped. */
const SECRET = 0o600;
const PUBLIC = 0o644;
const SCRIPT = 0o755;

/**
 * Every file of one credential's bundle, filled in for that customer and credential only.
 * Throws {@link InvalidBundleInputError} (every problem at once) before making anything.
 */
export function credentialBundleFiles(
  input: CredentialBundleInput,
  p12Password: string,
): BundleFile[] {
  validateBundleInput(input);
  if (!/^[A-Za-z0-9]{16,64}$/.test(p12Password)) {
    // It is written unquoted-safe into shell, YAML, .properties and Logstash files.
    throw new Error('the PKCS#12 password must be 16-64 letters and digits');
  }
  const v = bundleValues(input, p12Password);
  const files: Record<BundlePath, Omit<BundleFile, 'path'>> = {
    'README.md': { content: readme(v), mode: SECRET },
    'ca.pem': { content: input.caCertPem, mode: PUBLIC },
    // The issuing CA follows the certificate: the broker trusts only the root.
    'client.pem': {
      content: [input.certificate.certPem, ...input.certificate.chainPems].join(''),
      mode: PUBLIC,
    },
    'client.key': { content: input.certificate.keyPem, mode: SECRET },
    'client.p12': {
      content: pkcs12Keystore(
        input.certificate,
        [...input.certificate.chainPems, input.caCertPem],
        p12Password,
      ),
      mode: SECRET,
    },
    'client.properties': { content: clientProperties(v), mode: SECRET },
    'examples/kcat.sh': { content: kcatExample(), mode: SCRIPT },
    'examples/consumer.py': { content: pythonExample(), mode: SCRIPT },
    'examples/consumer.mjs': { content: nodeExample(v), mode: SCRIPT },
    'examples/filebeat.yml': { content: filebeatExample(v), mode: PUBLIC },
    'examples/logstash.conf': { content: logstashExample(v), mode: SECRET },
  };
  return BUNDLE_FILE_PATHS.map((path) => ({ path, ...files[path] }));
}
