import type { EntityManager } from 'typeorm';
import { EdgeNodeEntity } from '../entities/edge-node.entity';

export type NewEdgeNode = Pick<
  EdgeNodeEntity,
  'name' | 'principal' | 'serial' | 'fingerprintSha256' | 'notAfter'
>;

/** Enrolled edge nodes' certificates (never their keys). */
export class EdgeNodeRepository {
  constructor(private readonly em: EntityManager) {}

  async insert(node: NewEdgeNode): Promise<EdgeNodeEntity> {
    const repo = this.em.getRepository(EdgeNodeEntity);
    const result = await repo.insert({ ...node, revokedAt: null });
    const id = (result.identifiers[0] as { id: string }).id;
    return repo.findOneByOrFail({ id });
  }

  /** Every enrollment of a name, newest first (one active at most, then revoked ones). */
  byName(name: string): Promise<EdgeNodeEntity[]> {
    return this.em
      .getRepository(EdgeNodeEntity)
      .find({ where: { name }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Every enrollment, by name then newest first. */
  list(): Promise<EdgeNodeEntity[]> {
    return this.em
      .getRepository(EdgeNodeEntity)
      .find({ order: { name: 'ASC', createdAt: 'DESC', id: 'ASC' } });
  }

  /** Revokes the name's active enrollment; returns it, or undefined when none is active. */
  async revokeActive(name: string): Promise<EdgeNodeEntity | undefined> {
    const result = await this.em
      .createQueryBuilder()
      .update(EdgeNodeEntity)
      .set({ revokedAt: () => 'now()' })
      .where('name = :name AND revoked_at IS NULL', { name })
      .returning('*')
      .execute();
    const rows = result.raw as Array<{ id: string }>;
    if (rows.length === 0) return undefined;
    return this.em.getRepository(EdgeNodeEntity).findOneByOrFail({ id: rows[0].id });
  }
}
