import { clientSnippets, EXAMPLE_COMMANDS, type ExampleTool } from '@logstream/bundle';
import type { CustomerId } from '@logstream/tenancy';
import type { ConnectionModel } from './panel.types';

export type SnippetTool = ExampleTool;

export interface ClientSnippet {
  tool: SnippetTool;
  title: string;
  /** What the snippet is and what it needs. */
  note: string;
  code: string;
}

const SNIPPET_TEXT: Record<SnippetTool, { title: string; note: string }> = {
  kcat: {
    title: 'kcat',
    note: `kcat 1.6 or later, run in the unzipped bundle folder. The bundle's ${EXAMPLE_COMMANDS.kcat} does the same with options (--from-beginning, --from-time).`,
  },
  python: {
    title: 'Python (confluent-kafka)',
    note: `confluent-kafka 1.7 or later. The bundle has the full program: ${EXAMPLE_COMMANDS.python}.`,
  },
  node: {
    title: 'Node.js (kafkajs)',
    note: `kafkajs 2.2 (install the packages the bundle README names). The bundle has the full program, with the lz4 and zstd decoders: ${EXAMPLE_COMMANDS.node}.`,
  },
  java: {
    title: 'Java (client.properties)',
    note: 'The bundle has this file with the keystore password filled in; paths are relative to the bundle folder.',
  },
  filebeat: {
    title: 'Filebeat',
    note: 'examples/filebeat.yml in the bundle; run from the bundle folder.',
  },
  logstash: {
    title: 'Logstash',
    note: 'examples/logstash.conf in the bundle (Kafka integration 11+, Logstash 8).',
  },
};

const ORDER: readonly SnippetTool[] = ['kcat', 'python', 'node', 'java', 'filebeat', 'logstash'];

/**
 * The snippet per client shown in the panel. The code comes from libs/bundle's clientSnippets,
 * made from the same assets and values as the downloaded bundle; only the titles and notes are
 * the panel's.
 */
export function panelSnippets(c: ConnectionModel): ClientSnippet[] {
  const code = clientSnippets({
    customerId: c.customerId as CustomerId,
    bootstrapServers: c.bootstrapServers,
  });
  return ORDER.map((tool) => ({ tool, ...SNIPPET_TEXT[tool], code: code[tool] }));
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
