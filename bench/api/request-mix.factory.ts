import type { PlannedRequest } from '../support/open-loop.service';
import { seededRandom } from '@logstream/traffic';

export const OPERATIONS = [
  'GET customer',
  'GET streaming',
  'PUT streaming',
  'GET customers page',
  'POST credentials',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The status each operation answers when it works; anything else is counted as an error. */
export const EXPECTED_STATUS: Record<Operation, string> = {
  'GET customer': '200',
  'GET streaming': '200',
  'PUT streaming': '202',
  'GET customers page': '200',
  'POST credentials': '201',
};

/**
 * Shares of the mix, in percent: mostly the customer panel reading its status, some toggles, an
 * admin paging through customers, and now and then a credentials bundle (a fresh 2048-bit RSA
 * key pair, certificate and PKCS#12 each: by far the most CPU per request).
 */
export const MIX: Record<Operation, number> = {
  'GET customer': 35,
  'GET streaming': 30,
  'PUT streaming': 15,
  'GET customers page': 19,
  'POST credentials': 1,
};

export const PAGE_SIZE = 50;

export interface SeededCustomer {
  id: string;
  /** Its customer-scoped token: the panel calls with it. */
  token: string;
}

/**
 * Turns a stream of random draws into API requests of the mix. Customer-scoped calls use that
 * customer's own token (a database lookup per request, as for the panel); the list uses the
 * admin token. Credentials go round-robin over customers so none reaches its active-credential
 * limit, and each PUT flips that customer's switch.
 */
export class RequestMix {
  private readonly random: () => number;
  private readonly enabled = new Map<string, boolean>();
  private nextCredentialCustomer = 0;

  constructor(
    private readonly customers: readonly SeededCustomer[],
    private readonly adminToken: string,
    seed: number,
  ) {
    if (customers.length === 0) throw new Error('the mix needs at least one customer');
    this.random = seededRandom(seed);
  }

  /** The next request; with `withCredentials` false, credential draws become GET customer. */
  next(withCredentials = true): PlannedRequest<Operation> {
    const op = this.pick();
    return this.request(op === 'POST credentials' && !withCredentials ? 'GET customer' : op);
  }

  private pick(): Operation {
    let draw = this.random() * 100;
    for (const op of OPERATIONS) {
      draw -= MIX[op];
      if (draw < 0) return op;
    }
    return OPERATIONS[0];
  }

  private anyCustomer(): SeededCustomer {
    return this.customers[Math.floor(this.random() * this.customers.length)];
  }

  private request(op: Operation): PlannedRequest<Operation> {
    switch (op) {
      case 'GET customer': {
        const c = this.anyCustomer();
        return { op, method: 'GET', path: `/v1/customers/${c.id}`, token: c.token };
      }
      case 'GET streaming': {
        const c = this.anyCustomer();
        return { op, method: 'GET', path: `/v1/customers/${c.id}/streaming`, token: c.token };
      }
      case 'PUT streaming': {
        const c = this.anyCustomer();
        const enabled = !(this.enabled.get(c.id) ?? false);
        this.enabled.set(c.id, enabled);
        return {
          op,
          method: 'PUT',
          path: `/v1/customers/${c.id}/streaming`,
          token: c.token,
          body: JSON.stringify({ enabled }),
        };
      }
      case 'GET customers page': {
        // A page starting after a random customer: any page is as likely as any other.
        const after = this.anyCustomer().id;
        return {
          op,
          method: 'GET',
          path: `/v1/customers?limit=${PAGE_SIZE}&after=${after}`,
          token: this.adminToken,
        };
      }
      case 'POST credentials': {
        const c = this.customers[this.nextCredentialCustomer++ % this.customers.length];
        return { op, method: 'POST', path: `/v1/customers/${c.id}/credentials`, token: c.token };
      }
    }
  }
}
