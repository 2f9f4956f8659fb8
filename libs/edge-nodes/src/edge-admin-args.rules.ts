import * as path from 'node:path';
import { type EdgeNodeName, explainInvalidEdgeNodeName } from '@logstream/tenancy';

/** Where the shipped systemd unit expects the bundle (apps/edge-producer/deploy). */
export const DEFAULT_INSTALL_DIR = '/etc/logstream';

export type EdgeAdminCommand =
  | { kind: 'help' }
  | {
      kind: 'enroll';
      name: EdgeNodeName;
      /** Folder the bundle is written to (created; must be empty or absent). */
      outDir: string;
      /** Where the files will live on the node: the paths edge.env names. */
      installDir: string;
    }
  | { kind: 'list'; json: boolean }
  | { kind: 'revoke'; name: EdgeNodeName }
  | { kind: 'invalid'; problems: string[] };

export const EDGE_ADMIN_HELP = `Usage: edge-admin <command> [options]

Enrolls, lists and revokes edge nodes: each node gets its own certificate, signed by the
platform root CA, and its own Kafka principal logstream-edge.<node-name>. The provisioner
grants every enrolled, non-revoked node WRITE on cdn-logs.* and READ on the tenant registry,
and removes a revoked node's grants at its next resync (promptly: revoking notifies it).
Run it where the platform CA key is held (operators), never on the control API's hosts.

Commands:
  enroll <node-name> --out <dir> [--install-dir <dir>]
                   signs a certificate and writes the node's bundle to <dir> (created, must be
                   empty): client.pem, client.key (0600), ca.pem and edge.env, the
                   EnvironmentFile of the shipped systemd unit. edge.env names the files under
                   --install-dir (default ${DEFAULT_INSTALL_DIR}), where they go on the node.
  list [--json]    every enrollment: name, principal, serial, not-after, created, revoked
  revoke <node-name>
                   revokes the node's active enrollment; its access goes at the provisioner's
                   next reconcile. A revoked name cannot be enrolled again until its
                   certificate has expired (the new one would carry the same principal).

Node names: lowercase letters, digits and inner "-", 1 to 49 characters (a DNS label).

Configuration (environment): LOGSTREAM_DATABASE_URL, LOGSTREAM_PLATFORM_CA_CERT_FILE and
LOGSTREAM_PLATFORM_CA_KEY_FILE (default the development PKI's ca.pem and ca.key),
LOGSTREAM_BROKER_CA_FILE (ca.pem in the bundle), LOGSTREAM_KAFKA_SSL_BOOTSTRAP (the brokers
in edge.env), LOGSTREAM_ENROLL_VALIDITY_DAYS (365).

Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 invalid arguments or
configuration.`;

function nameProblem(name: string | undefined, command: string): string | undefined {
  if (name === undefined) return `${command} needs a node name (see --help)`;
  const reason = explainInvalidEdgeNodeName(name);
  return reason === undefined ? undefined : `invalid node name "${name}": ${reason}`;
}

interface Split {
  positional: string[];
  options: Map<string, string | true>;
  problems: string[];
}

/** Splits arguments into positionals and `--name value` / `--name=value` options. */
function split(
  argv: readonly string[],
  valued: readonly string[],
  flags: readonly string[],
): Split {
  const out: Split = { positional: [], options: new Map(), problems: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (flags.includes(name) && eq < 0) {
      out.options.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
        out.problems.push(`${name} needs a value`);
      } else out.options.set(name, value);
    } else {
      out.problems.push(`unknown option ${name} (see --help)`);
    }
  }
  return out;
}

/** The command an operator asked for, or every problem with the arguments at once. */
export function parseEdgeAdminArgs(argv: readonly string[]): EdgeAdminCommand {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      return { kind: 'invalid', problems: ['a command is needed: enroll, list or revoke'] };
    case 'enroll': {
      const s = split(rest, ['--out', '--install-dir'], []);
      const [name, ...extra] = s.positional;
      const problems = [...s.problems];
      const bad = nameProblem(name, 'enroll');
      if (bad) problems.push(bad);
      if (extra.length > 0) problems.push(`unexpected argument "${extra[0]}"`);
      const out = s.options.get('--out');
      if (out === undefined && !s.problems.includes('--out needs a value')) {
        problems.push('enroll needs --out <dir>: where the node bundle is written');
      }
      const installDir = s.options.get('--install-dir') ?? DEFAULT_INSTALL_DIR;
      if (typeof installDir === 'string' && !path.isAbsolute(installDir)) {
        problems.push(`--install-dir must be an absolute path on the node, got "${installDir}"`);
      }
      if (problems.length > 0 || typeof out !== 'string' || typeof installDir !== 'string') {
        return { kind: 'invalid', problems };
      }
      return {
        kind: 'enroll',
        name: name as EdgeNodeName,
        outDir: path.resolve(out),
        installDir,
      };
    }
    case 'list': {
      const s = split(rest, [], ['--json']);
      const problems = [...s.problems];
      if (s.positional.length > 0) problems.push(`unexpected argument "${s.positional[0]}"`);
      if (problems.length > 0) return { kind: 'invalid', problems };
      return { kind: 'list', json: s.options.has('--json') };
    }
    case 'revoke': {
      const s = split(rest, [], []);
      const [name, ...extra] = s.positional;
      const problems = [...s.problems];
      const bad = nameProblem(name, 'revoke');
      if (bad) problems.push(bad);
      if (extra.length > 0) problems.push(`unexpected argument "${extra[0]}"`);
      if (problems.length > 0) return { kind: 'invalid', problems };
      return { kind: 'revoke', name: name as EdgeNodeName };
    }
    default:
      return {
        kind: 'invalid',
        problems: [`unknown command "${command}": use enroll, list or revoke (see --help)`],
      };
  }
}
