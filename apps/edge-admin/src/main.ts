import { DataSource } from 'typeorm';
import { type EdgeAdminConfig, loadEdgeAdminConfig } from '@logstream/config';
import {
  EDGE_ADMIN_HELP,
  type EdgeAdminCommand,
  EdgeEnrollmentService,
  EdgeNodeRefusedError,
  loadPlatformAuthority,
  parseEdgeAdminArgs,
} from '@logstream/edge-nodes';
import { EXIT, runMain } from '@logstream/observability';
import { type EdgeNodeEntity, typeOrmOptions } from '@logstream/persistence';

/** `edge-admin enroll|list|revoke`: argument parsing and output only (logic in libs/edge-nodes). */
async function main(argv: readonly string[]): Promise<number> {
  const command = parseEdgeAdminArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(`${EDGE_ADMIN_HELP}\n`);
    return EXIT.ok;
  }
  if (command.kind === 'invalid') {
    process.stderr.write(
      `edge-admin: ${command.problems.join('\n  ')}\n(edge-admin --help shows the commands)\n`,
    );
    return EXIT.config;
  }
  const config = loadEdgeAdminConfig();
  const db = new DataSource({
    ...typeOrmOptions(config.database, 'logstream-edge-admin'),
    logging: ['error'],
  });
  await db.initialize();
  try {
    return await execute(command, db, config);
  } catch (err) {
    if (!(err instanceof EdgeNodeRefusedError)) throw err;
    process.stderr.write(`edge-admin: ${err.message}\n`);
    return EXIT.fatal;
  } finally {
    await db.destroy();
  }
}

async function execute(
  command: Exclude<EdgeAdminCommand, { kind: 'help' | 'invalid' }>,
  db: DataSource,
  config: EdgeAdminConfig,
): Promise<number> {
  switch (command.kind) {
    case 'enroll': {
      const authority = await loadPlatformAuthority({
        caCertFile: config.platformCaCertFile,
        caKeyFile: config.platformCaKeyFile,
        brokerCaFile: config.brokerCaFile,
      });
      const { node, files } = await new EdgeEnrollmentService(db).enroll(command, {
        authority,
        validityDays: config.validityDays,
        brokers: config.edgeBootstrap,
      });
      process.stdout.write(
        [
          `enrolled edge node ${node.name}: principal ${node.principal}, serial ${node.serial}, valid until ${node.notAfter.toISOString()}`,
          `bundle in ${command.outDir}: ${files.map((f) => f.slice(command.outDir.length + 1)).join(', ')}`,
          `install it in ${command.installDir}/ on the node (edge.env is the systemd unit's EnvironmentFile)`,
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }
    case 'list': {
      const nodes = await new EdgeEnrollmentService(db).list();
      process.stdout.write(command.json ? `${JSON.stringify(nodes.map(view))}\n` : table(nodes));
      return EXIT.ok;
    }
    case 'revoke': {
      const result = await new EdgeEnrollmentService(db).revoke(command.name);
      const at = result.node.revokedAt?.toISOString() ?? '';
      process.stdout.write(
        result.outcome === 'revoked'
          ? `revoked edge node ${result.node.name} (${result.node.principal}) at ${at}; the provisioner removes its access at its next reconcile\n`
          : `edge node ${result.node.name} was already revoked at ${at}\n`,
      );
      return EXIT.ok;
    }
  }
}

function view(n: EdgeNodeEntity): Record<string, string | null> {
  return {
    name: n.name,
    principal: n.principal,
    serial: n.serial,
    notAfter: n.notAfter.toISOString(),
    createdAt: n.createdAt.toISOString(),
    revokedAt: n.revokedAt?.toISOString() ?? null,
  };
}

function table(nodes: EdgeNodeEntity[]): string {
  if (nodes.length === 0) return 'no edge nodes enrolled\n';
  const rows = [
    ['NAME', 'PRINCIPAL', 'SERIAL', 'NOT AFTER', 'CREATED', 'REVOKED'],
    ...nodes.map((n) => Object.values(view(n)).map((v) => v ?? '-')),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

runMain({ app: 'edge-admin', help: EDGE_ADMIN_HELP }, (ctx) => main(ctx.argv));
