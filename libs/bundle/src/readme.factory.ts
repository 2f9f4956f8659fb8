import { renderAsset, templateValues } from './bundle-assets.factory';
import type { BundleValues } from './bundle.types';

/** The commands the README gives for each runnable example, from the bundle folder. */
export const EXAMPLE_COMMANDS = {
  kcat: './examples/kcat.sh',
  python: 'python3 examples/consumer.py',
  node: 'node examples/consumer.mjs',
} as const;

/** README.md: what the credential reaches, how to run each example, how to replay. */
export function readme(v: BundleValues): string {
  return renderAsset('templates/README.md', templateValues(v));
}
