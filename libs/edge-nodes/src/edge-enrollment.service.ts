import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  type EdgeNodeEntity,
  EdgeNodeRepository,
  notifyEdgeNodesChanged,
} from '@logstream/persistence';
import { type EdgeNodeName, edgeNodePrincipal } from '@logstream/tenancy';
import { edgeBundleFiles } from './edge-bundle.factory';
import { EdgeNodeRefusedError } from './edge-node.errors';
import type { PlatformAuthority } from './platform-authority.loader';

export interface EnrollRequest {
  name: EdgeNodeName;
  /** Folder the bundle is written to (created; refused when it holds files). */
  outDir: string;
  /** Where the files will be on the node: the paths edge.env names. */
  installDir: string;
}

export interface Signer {
  authority: PlatformAuthority;
  validityDays: number;
  /** The SSL bootstrap servers written to edge.env. */
  brokers: readonly string[];
}

export interface EnrollResult {
  node: EdgeNodeEntity;
  /** The bundle's files, as written. */
  files: string[];
}

export type RevokeResult =
  | { outcome: 'revoked'; node: EdgeNodeEntity }
  | { outcome: 'already_revoked'; node: EdgeNodeEntity };

/** PostgreSQL's unique_violation: a second enrollment of the name won the race. */
const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === UNIQUE_VIOLATION || e?.driverError?.code === UNIQUE_VIOLATION;
}

/**
 * Enrolls, lists and revokes edge nodes. Each change is written with a NOTIFY in the same
 * transaction, so the provisioner grants or removes the node's ACLs as soon as it commits.
 */
export class EdgeEnrollmentService {
  constructor(private readonly db: DataSource) {}

  /**
   * Signs a certificate for the node and writes its bundle to `outDir`; the row and the files
   * exist together or not at all (files are removed when the transaction fails).
   */
  async enroll(request: EnrollRequest, signer: Signer): Promise<EnrollResult> {
    const { name, outDir, installDir } = request;
    const principal = edgeNodePrincipal(name);
    await this.checkNameIsFree(name);
    await prepareOutDir(outDir);
    const issued = signer.authority.ca.issue({
      commonName: principal,
      usage: 'client',
      validityDays: signer.validityDays,
    });
    const bundle = edgeBundleFiles({
      name,
      principal,
      serial: issued.serial,
      fingerprintSha256: issued.fingerprintSha256,
      notAfter: issued.notAfter,
      certChainPem: [issued.certPem, ...issued.chainPems].join(''),
      keyPem: issued.keyPem,
      brokerCaPem: signer.authority.brokerCaPem,
      brokers: signer.brokers,
      installDir,
    });
    const written: string[] = [];
    try {
      const node = await this.db.transaction(async (tx) => {
        const row = await new EdgeNodeRepository(tx).insert({
          name,
          principal,
          serial: issued.serial,
          fingerprintSha256: issued.fingerprintSha256,
          notAfter: issued.notAfter,
        });
        await notifyEdgeNodesChanged(tx);
        for (const file of bundle) {
          const target = path.join(outDir, file.name);
          // 'wx': never overwrite; the key is private to its owner from its first byte.
          await writeFile(target, file.content, { mode: file.mode, flag: 'wx' });
          written.push(target);
          await chmod(target, file.mode);
        }
        return row;
      });
      return { node, files: written };
    } catch (err) {
      await Promise.all(written.map((f) => rm(f, { force: true })));
      if (isUniqueViolation(err)) throw alreadyEnrolled(name);
      throw err;
    }
  }

  list(): Promise<EdgeNodeEntity[]> {
    return new EdgeNodeRepository(this.db.manager).list();
  }

  /** Revokes the node's active enrollment; revoking a revoked node again changes nothing. */
  revoke(name: EdgeNodeName): Promise<RevokeResult> {
    return this.db.transaction(async (tx) => {
      const nodes = new EdgeNodeRepository(tx);
      const revoked = await nodes.revokeActive(name);
      if (revoked) {
        await notifyEdgeNodesChanged(tx);
        return { outcome: 'revoked', node: revoked };
      }
      const [latest] = await nodes.byName(name);
      if (latest === undefined) {
        throw new EdgeNodeRefusedError(
          'unknown_node',
          `no edge node named "${name}" is enrolled (edge-admin list shows them)`,
        );
      }
      return { outcome: 'already_revoked', node: latest };
    });
  }

  /**
   * A name is free when it has no active enrollment and no revoked one whose certificate is
   * still valid: a new certificate carries the same principal, so enrolling again would give the
   * revoked certificate its access back.
   */
  private async checkNameIsFree(name: EdgeNodeName): Promise<void> {
    const rows = await new EdgeNodeRepository(this.db.manager).byName(name);
    if (rows.some((r) => r.revokedAt === null)) throw alreadyEnrolled(name);
    const stillValid = rows.find((r) => r.notAfter.getTime() > Date.now());
    if (stillValid) {
      throw new EdgeNodeRefusedError(
        'name_reserved',
        `edge node "${name}" was revoked, but its certificate (serial ${stillValid.serial}) is valid until ${stillValid.notAfter.toISOString()} and would map to the same principal; enroll the node under another name`,
      );
    }
  }
}

function alreadyEnrolled(name: string): EdgeNodeRefusedError {
  return new EdgeNodeRefusedError(
    'already_enrolled',
    `edge node "${name}" is already enrolled; revoke it first (edge-admin revoke ${name}) or use another name`,
  );
}

/** The bundle folder: created private to its owner, and refused when it already holds files. */
async function prepareOutDir(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const present = await readdir(outDir);
  if (present.length > 0) {
    throw new EdgeNodeRefusedError(
      'bad_out_dir',
      `${outDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); give a new or empty folder`,
    );
  }
}
