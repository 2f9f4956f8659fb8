import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService, ControlError, type Principal } from '@logstream/control';
import { PanelSessionRepository } from '@logstream/persistence';
import { parseCustomerId } from '@logstream/tenancy';
import { PANEL_OPTIONS, type PanelOptions } from './panel-options.types';
import { newCsrfToken, newSessionId, plausibleSessionId, sha256Hex } from './session.rules';

/** A session is marked as used at most this often. */
const TOUCH_EVERY_MS = 30_000;

export interface PanelSession {
  principal: Principal;
  csrfToken: string;
  /** Hash of the cookie id: how the session is known server-side. */
  key: string;
}

export interface OpenedSession {
  /** Goes into the cookie; never stored. */
  cookieId: string;
  principal: Principal;
  maxAgeMs: number;
}

/**
 * Panel sessions: a token, presented once at sign-in, becomes a random session id; the token
 * itself is not kept anywhere (an admin session keeps the token's SHA-256 only, to end with it).
 */
@Injectable()
export class PanelSessionService {
  private readonly adminTokenHashes: ReadonlySet<string>;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PANEL_OPTIONS) private readonly options: PanelOptions,
  ) {
    this.adminTokenHashes = new Set(options.adminTokens.map(sha256Hex));
  }

  /** Checks the token as the API does (the same answers for a bad one) and opens a session. */
  async signIn(token: string): Promise<OpenedSession> {
    const trimmed = token.trim();
    if (trimmed === '') throw new ControlError('unauthorized', 'enter your access token');
    const principal = await this.auth.authenticate(`Bearer ${trimmed}`);
    const cookieId = newSessionId();
    await new PanelSessionRepository(this.db.manager).insert({
      idSha256: sha256Hex(cookieId),
      kind: principal.kind,
      customerId: principal.kind === 'customer' ? principal.customerId : null,
      tokenId: principal.kind === 'customer' ? principal.tokenId : null,
      adminTokenSha256: principal.kind === 'admin' ? sha256Hex(trimmed) : null,
      csrfToken: newCsrfToken(),
      expiresAt: new Date(Date.now() + this.options.session.absoluteMs),
    });
    return { cookieId, principal, maxAgeMs: this.options.session.absoluteMs };
  }

  /** The live session this cookie id opens, or undefined (unknown, expired, token revoked). */
  async resolve(cookieId: unknown): Promise<PanelSession | undefined> {
    if (!plausibleSessionId(cookieId)) return undefined;
    const key = sha256Hex(cookieId);
    const sessions = new PanelSessionRepository(this.db.manager);
    const row = await sessions.findLive(key, this.options.session.idleMs);
    if (!row) return undefined;
    let principal: Principal;
    if (row.kind === 'admin') {
      if (row.adminTokenSha256 === null || !this.adminTokenHashes.has(row.adminTokenSha256)) {
        return undefined;
      }
      principal = { kind: 'admin' };
    } else {
      if (row.customerId === null || row.tokenId === null) return undefined;
      principal = {
        kind: 'customer',
        customerId: parseCustomerId(row.customerId),
        tokenId: row.tokenId,
      };
    }
    await sessions.touch(key, TOUCH_EVERY_MS);
    return { principal, csrfToken: row.csrfToken, key };
  }

  async signOut(session: PanelSession): Promise<void> {
    await new PanelSessionRepository(this.db.manager).delete(session.key);
  }

  /** Removes sessions past their end; returns how many. */
  purgeExpired(): Promise<number> {
    return new PanelSessionRepository(this.db.manager).deleteExpired(this.options.session.idleMs);
  }
}
