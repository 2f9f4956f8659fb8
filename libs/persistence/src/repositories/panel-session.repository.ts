import type { EntityManager } from 'typeorm';
import { PanelSessionEntity } from '../entities/panel-session.entity';
import { affectedRows } from '../query-result';

export type NewPanelSession = Pick<
  PanelSessionEntity,
  'idSha256' | 'kind' | 'customerId' | 'tokenId' | 'adminTokenSha256' | 'csrfToken' | 'expiresAt'
>;

/** Panel sessions, by the SHA-256 of their cookie id only. */
export class PanelSessionRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(session: NewPanelSession): Promise<void> {
    await this.em
      .getRepository(PanelSessionEntity)
      .insert({ ...session, lastSeenAt: () => 'now()' });
  }

  /**
   * The session if it is still good: not past its absolute end, used within `idleMs`, and, for
   * a customer's session, its token not revoked and its customer not being deleted.
   */
  async findLive(idSha256: string, idleMs: number): Promise<PanelSessionEntity | null> {
    return this.em
      .getRepository(PanelSessionEntity)
      .createQueryBuilder('s')
      .leftJoin('customer_tokens', 't', 't.id = s.token_id')
      .leftJoin('customers', 'c', 'c.id = s.customer_id')
      .where('s.id_sha256 = :idSha256', { idSha256 })
      .andWhere('s.expires_at > now()')
      .andWhere("s.last_seen_at > now() - (:idleMs * interval '1 millisecond')", { idleMs })
      .andWhere(
        "(s.kind = 'admin' OR (t.revoked_at IS NULL AND t.id IS NOT NULL AND c.deletion_requested_at IS NULL AND c.id IS NOT NULL))",
      )
      .getOne();
  }

  /** Records use, at most once per `everyMs` (a write per request would be wasted). */
  async touch(idSha256: string, everyMs: number): Promise<void> {
    await this.em.query(
      `UPDATE panel_sessions SET last_seen_at = now()
       WHERE id_sha256 = $1 AND last_seen_at < now() - ($2 * interval '1 millisecond')`,
      [idSha256, everyMs],
    );
  }

  async delete(idSha256: string): Promise<void> {
    await this.em.getRepository(PanelSessionEntity).delete({ idSha256 });
  }

  /** Removes sessions that can no longer be used; returns how many. */
  async deleteExpired(idleMs: number): Promise<number> {
    const result: unknown = await this.em.query(
      `DELETE FROM panel_sessions
       WHERE expires_at <= now() OR last_seen_at <= now() - ($1 * interval '1 millisecond')`,
      [idleMs],
    );
    return affectedRows(result);
  }
}
