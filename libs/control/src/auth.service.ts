import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CustomerTokenRepository } from '@logstream/persistence';
import { parseCustomerId } from '@logstream/tenancy';
import { ControlError } from './control.errors';
import { CONTROL_OPTIONS, type ControlOptions, type Principal } from './control.types';
import { CUSTOMER_TOKEN_PREFIX, sha256Hex } from './secrets.rules';

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/i;

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Turns an Authorization header into the principal it proves, or refuses it. */
@Injectable()
export class AuthService {
  private readonly adminDigests: readonly Buffer[];

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CONTROL_OPTIONS) options: ControlOptions,
  ) {
    this.adminDigests = options.adminTokens.map(digest);
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization === '') {
      throw new ControlError(
        'unauthorized',
        'missing token: send the header "Authorization: Bearer <token>"',
      );
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) {
      throw new ControlError(
        'unauthorized',
        'malformed Authorization header: expected "Bearer <token>"',
      );
    }
    if (this.isAdminToken(token)) return { kind: 'admin' };
    if (token.startsWith(CUSTOMER_TOKEN_PREFIX)) {
      const row = await new CustomerTokenRepository(this.db.manager).findActiveByHash(
        sha256Hex(token),
      );
      if (row) {
        return { kind: 'customer', customerId: parseCustomerId(row.customerId), tokenId: row.id };
      }
    }
    throw new ControlError('unauthorized', 'invalid or revoked token');
  }

  /** Compares digests of equal length in constant time, and always against every admin token. */
  private isAdminToken(token: string): boolean {
    const presented = digest(token);
    let match = false;
    for (const known of this.adminDigests) match = timingSafeEqual(presented, known) || match;
    return match;
  }
}
