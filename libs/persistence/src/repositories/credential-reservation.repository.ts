import type { EntityManager } from 'typeorm';
import { CredentialReservationEntity } from '../entities/credential-reservation.entity';

/** Slots taken by credentials being issued right now (see {@link CredentialReservationEntity}). */
export class CredentialReservationRepository {
  constructor(private readonly em: EntityManager) {}

  async reserve(customerId: string, id: string, holdMs: number): Promise<void> {
    await this.em.query(
      `INSERT INTO credential_reservations (id, customer_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [id, customerId, holdMs / 1000],
    );
  }

  /** Reservations that still hold a slot. */
  countLive(customerId: string): Promise<number> {
    return this.em
      .getRepository(CredentialReservationEntity)
      .createQueryBuilder('r')
      .where('r.customer_id = :customerId', { customerId })
      .andWhere('r.expires_at > now()')
      .getCount();
  }

  async release(id: string): Promise<void> {
    await this.em.getRepository(CredentialReservationEntity).delete({ id });
  }

  /** Deletes reservations whose issuer never came back (the API stopped half-way). */
  async deleteLapsed(): Promise<number> {
    const result = await this.em
      .createQueryBuilder()
      .delete()
      .from(CredentialReservationEntity)
      .where('expires_at <= now()')
      .execute();
    return result.affected ?? 0;
  }
}
