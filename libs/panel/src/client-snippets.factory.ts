import { EXAMPLE_COMMANDS, exampleGroupId } from '@logstream/bundle';
import type { ConnectionModel } from './panel.types';

export type SnippetTool = 'kcat' | 'python' | 'node' | 'java' | 'filebeat' | 'logstash';

export interface ClientSnippet {
  tool: SnippetTool;
  title: string;
  /** What the snippet is and what it needs. */
  note: string;
  language: string;
  code: string;
}

/**
 * The ready-to-run snippet per client shown in the panel. The one place they are made: the
 * commands and group names come from libs/bundle (the same as in the downloaded bundle), so the
 * panel never tells a customer something the bundle does not do.
 */
export function clientSnippets(c: ConnectionModel): ClientSnippet[] {
  const bootstrap = c.bootstrapServers.join(',');
  const group = (tool: SnippetTool) => exampleGroupId({ groupPrefix: c.groupPrefix }, tool);
  return [
    {
      tool: 'kcat',
      title: 'kcat',
      note: 'From the unzipped bundle folder; the script wraps kcat with your certificates.',
      language: 'sh',
      code: [
        `cd ${c.customerId}-logstream`,
        `${EXAMPLE_COMMANDS.kcat}                    # new lines as they arrive`,
        `${EXAMPLE_COMMANDS.kcat} --from-beginning   # everything the topic still holds`,
        '',
        '# or kcat directly:',
        `kcat -C -b ${bootstrap} -t ${c.topic} -G ${group('kcat')} \\`,
        '  -X security.protocol=ssl -X ssl.ca.location=ca.pem \\',
        '  -X ssl.certificate.location=client.pem -X ssl.key.location=client.key',
      ].join('\n'),
    },
    {
      tool: 'python',
      title: 'Python (confluent-kafka)',
      note: 'confluent-kafka 1.7 or later. The bundle has the full program: examples/consumer.py.',
      language: 'python',
      code: [
        'from confluent_kafka import Consumer',
        '',
        'consumer = Consumer({',
        `    "bootstrap.servers": "${bootstrap}",`,
        '    "security.protocol": "SSL",',
        '    "ssl.ca.location": "ca.pem",',
        '    "ssl.certificate.location": "client.pem",',
        '    "ssl.key.location": "client.key",',
        `    "group.id": "${group('python')}",`,
        '    "auto.offset.reset": "earliest",',
        '})',
        `consumer.subscribe(["${c.topic}"])`,
        'while True:',
        '    msg = consumer.poll(1.0)',
        '    if msg is not None and msg.error() is None:',
        '        print(msg.value().decode("utf-8", "replace"))',
      ].join('\n'),
    },
    {
      tool: 'node',
      title: 'Node.js (kafkajs)',
      note: 'The bundle has the program (it also reads lz4 and zstd batches); install its packages first.',
      language: 'sh',
      code: [
        `cd ${c.customerId}-logstream`,
        'npm install kafkajs@2.2.4 lz4js@0.2.0 fzstd@0.1.1',
        EXAMPLE_COMMANDS.node,
      ].join('\n'),
    },
    {
      tool: 'java',
      title: 'Java (client.properties)',
      note: 'The bundle has this file with the keystore password filled in; paths are relative to the bundle folder.',
      language: 'properties',
      code: [
        `bootstrap.servers=${bootstrap}`,
        'security.protocol=SSL',
        'ssl.truststore.type=PEM',
        'ssl.truststore.location=ca.pem',
        'ssl.keystore.type=PKCS12',
        'ssl.keystore.location=client.p12',
        'ssl.keystore.password=<the password in the bundle README>',
        `group.id=${group('java')}`,
        'auto.offset.reset=earliest',
      ].join('\n'),
    },
    {
      tool: 'filebeat',
      title: 'Filebeat',
      note: 'examples/filebeat.yml in the bundle; run from the bundle folder.',
      language: 'sh',
      code: 'LOGSTREAM_BUNDLE_DIR="$PWD" filebeat -e -c "$PWD/examples/filebeat.yml"',
    },
    {
      tool: 'logstash',
      title: 'Logstash',
      note: 'examples/logstash.conf in the bundle (Kafka integration 11+, Logstash 8).',
      language: 'sh',
      code: 'LOGSTREAM_BUNDLE_DIR="$PWD" logstash -f "$PWD/examples/logstash.conf"',
    },
  ];
}

/** How to read again from an offset or a time, with the bundle's scripts. */
export function replaySnippet(c: ConnectionModel): string {
  return [
    `${EXAMPLE_COMMANDS.kcat} --from-time 2026-01-31T12:00:00Z   # from a time (ISO 8601 or epoch ms)`,
    `${EXAMPLE_COMMANDS.python} --from-beginning          # all that is retained`,
    '',
    '# from an offset of one partition, with kcat directly:',
    `kcat -C -b ${c.bootstrapServers.join(',')} -t ${c.topic} -p 0 -o 12345 \\`,
    '  -X security.protocol=ssl -X ssl.ca.location=ca.pem \\',
    '  -X ssl.certificate.location=client.pem -X ssl.key.location=client.key',
  ].join('\n');
}
