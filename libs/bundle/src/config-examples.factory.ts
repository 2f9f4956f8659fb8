import { renderAsset, templateValues } from './bundle-assets.factory';
import { exampleGroupId } from './bundle.rules';
import type { BundleValues } from './bundle.types';

/**
 * The `#@ name=value` lines of client.properties: Java reads them as comments, the shipped
 * examples (kcat.sh, consumer.py, consumer.mjs) read their topic and group prefix from them.
 */
export const EXAMPLE_SETTING_PREFIX = '#@ ';

/**
 * client.properties for Java clients and the Kafka CLI tools, and the one file of the bundle
 * the shipped examples read their values from. Java resolves these paths against its working
 * directory, so the README runs them from the bundle folder.
 */
export function clientProperties(v: BundleValues): string {
  return [
    `# Logstream: Kafka client settings for ${v.customerId}, credential ${v.credentialId}`,
    `# (principal ${v.principal}). Paths are relative to the bundle folder: run from it,`,
    '# or make them absolute. Your topic and group prefix are in README.md.',
    `# The examples read bootstrap.servers and the "${EXAMPLE_SETTING_PREFIX}" lines: keep them.`,
    `${EXAMPLE_SETTING_PREFIX}topic=${v.topic}`,
    `${EXAMPLE_SETTING_PREFIX}group.prefix=${v.groupPrefix}`,
    `${EXAMPLE_SETTING_PREFIX}stats.topic=${v.statsTopic}`,
    `bootstrap.servers=${v.bootstrap}`,
    'security.protocol=SSL',
    'ssl.truststore.type=PEM',
    'ssl.truststore.location=ca.pem',
    'ssl.keystore.type=PKCS12',
    'ssl.keystore.location=client.p12',
    `ssl.keystore.password=${v.p12Password}`,
    `# Consumer groups must start with "${v.groupPrefix}".`,
    `group.id=${exampleGroupId(v, 'java')}`,
    'auto.offset.reset=earliest',
    '',
  ].join('\n');
}

/** examples/filebeat.yml: Filebeat's kafka input, printing each line to stdout. */
export function filebeatExample(v: BundleValues): string {
  return renderAsset('templates/filebeat.yml', templateValues(v));
}

/** examples/logstash.conf: Logstash's kafka input, printing each line to stdout. */
export function logstashExample(v: BundleValues): string {
  return renderAsset('templates/logstash.conf', templateValues(v));
}
