import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { exampleGroupId } from './bundle.rules';
import type { BundleValues, ExampleTool } from './bundle.types';

/**
 * libs/bundle/assets, which the build copies next to the compiled code
 * (dist/libs/bundle/assets), so the same relative path holds for both.
 */
export const BUNDLE_ASSETS_DIR = path.resolve(__dirname, '..', 'assets');

const cache = new Map<string, string>();

/** One file of libs/bundle/assets (e.g. `examples/kcat.sh`), as it is shipped. */
export function bundleAsset(relativePath: string): string {
  let text = cache.get(relativePath);
  if (text === undefined) {
    const file = path.join(BUNDLE_ASSETS_DIR, relativePath);
    if (!existsSync(file)) {
      throw new Error(`bundle asset ${file} is missing (npm run build copies libs/bundle/assets)`);
    }
    text = readFileSync(file, 'utf8');
    cache.set(relativePath, text);
  }
  return text;
}

/** The names a template's `{{name}}` placeholders take, and their values. */
export type TemplateValues = Readonly<Record<string, string>>;

/**
 * An asset with each `{{name}}` replaced by its value. A placeholder without a value throws:
 * a half-filled file must never reach a customer.
 */
export function renderAsset(relativePath: string, values: TemplateValues): string {
  return bundleAsset(relativePath).replace(/\{\{([A-Za-z0-9.]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${relativePath}: no value for {{${name}}}`);
    return value;
  });
}

const TOOLS: readonly ExampleTool[] = ['kcat', 'python', 'node', 'java', 'filebeat', 'logstash'];

/** What the templates are filled in with, from one bundle's values. */
export function templateValues(v: BundleValues): TemplateValues {
  const groups = Object.fromEntries(TOOLS.map((t) => [`group.${t}`, exampleGroupId(v, t)]));
  return {
    customerId: v.customerId,
    credentialId: v.credentialId,
    principal: v.principal,
    topic: v.topic,
    statsTopic: v.statsTopic,
    groupPrefix: v.groupPrefix,
    bootstrap: v.bootstrap,
    'bootstrap.quoted': v.bootstrapServers.map((s) => `"${s}"`).join(', '),
    certificateExpiry: v.certificateExpiry,
    fingerprintSha256: v.fingerprintSha256,
    p12Password: v.p12Password,
    ...groups,
  };
}
