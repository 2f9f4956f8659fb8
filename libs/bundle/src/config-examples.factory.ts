import { BUNDLE_DIR_VARIABLE, exampleGroupId } from './bundle.rules';
import type { BundleValues } from './bundle.types';

/** `${LOGSTREAM_BUNDLE_DIR}/<file>`, which both Filebeat and Logstash expand from the environment. */
function inBundle(file: string): string {
  return '${' + BUNDLE_DIR_VARIABLE + '}/' + file;
}

/**
 * client.properties for Java clients and the Kafka CLI tools. Java resolves these paths against
 * its working directory, so the README runs them from the bundle folder.
 */
export function clientProperties(v: BundleValues): string {
  return [
    `# Logstream: Kafka client settings for ${v.customerId}, credential ${v.credentialId}`,
    `# (principal ${v.principal}). Paths are relative to the bundle folder: run from it,`,
    '# or make them absolute. Your topic and group prefix are in README.md.',
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
  const hosts = v.bootstrapServers.map((s) => `      - "${s}"`);
  return [
    `# Logstream: Filebeat reading the access logs of ${v.customerId} (topic ${v.topic}).`,
    `# Made for credential ${v.credentialId}; see ../README.md. Run from the bundle folder:`,
    `#   ${BUNDLE_DIR_VARIABLE}="$PWD" filebeat -e -c "$PWD/examples/filebeat.yml"`,
    '# Swap output.console for your own output (Elasticsearch, Logstash, a file...).',
    'filebeat.inputs:',
    '  - type: kafka',
    '    hosts:',
    ...hosts,
    `    topics: ["${v.topic}"]`,
    `    # Consumer groups must start with "${v.groupPrefix}".`,
    `    group_id: "${exampleGroupId(v, 'filebeat')}"`,
    '    # A new group starts at the oldest line the topic holds.',
    '    initial_offset: oldest',
    '    ssl.enabled: true',
    `    ssl.certificate_authorities: ["${inBundle('ca.pem')}"]`,
    `    ssl.certificate: "${inBundle('client.pem')}"`,
    `    ssl.key: "${inBundle('client.key')}"`,
    '',
    'output.console:',
    '  codec.format:',
    "    string: '%{[message]}'",
    '',
  ].join('\n');
}

/** examples/logstash.conf: Logstash's kafka input, printing each line to stdout. */
export function logstashExample(v: BundleValues): string {
  return [
    `# Logstream: Logstash reading the access logs of ${v.customerId} (topic ${v.topic}).`,
    `# Made for credential ${v.credentialId}; see ../README.md. Run from the bundle folder:`,
    `#   ${BUNDLE_DIR_VARIABLE}="$PWD" logstash -f "$PWD/examples/logstash.conf"`,
    '# Needs the Kafka integration 11 or later (Logstash 8), for the PEM truststore.',
    '# Swap the stdout output for your own (Elasticsearch, a file...).',
    'input {',
    '  kafka {',
    `    bootstrap_servers => "${v.bootstrap}"`,
    `    topics => ["${v.topic}"]`,
    `    # Consumer groups must start with "${v.groupPrefix}".`,
    `    group_id => "${exampleGroupId(v, 'logstash')}"`,
    `    client_id => "${exampleGroupId(v, 'logstash')}"`,
    '    auto_offset_reset => "earliest"',
    '    security_protocol => "SSL"',
    '    ssl_truststore_type => "PEM"',
    `    ssl_truststore_location => "${inBundle('ca.pem')}"`,
    '    ssl_keystore_type => "PKCS12"',
    `    ssl_keystore_location => "${inBundle('client.p12')}"`,
    `    ssl_keystore_password => "${v.p12Password}"`,
    '    codec => plain',
    '  }',
    '}',
    '',
    'output {',
    '  stdout { codec => line { format => "%{message}" } }',
    '}',
    '',
  ].join('\n');
}
