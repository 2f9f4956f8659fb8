import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { type AddressPolicy, refusedAddress } from './address-policy.rules';

export class WebhookRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookRefusedError';
  }
}

export interface WebhookResponse {
  status: number;
}

/** Sends one POST; the seam unit tests replace. */
export type WebhookTransport = (
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  address: { ip: string; family: number },
) => Promise<WebhookResponse>;

export function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined)
    .map((i) => i.address);
}

/**
 * Resolves the URL's host and checks every address it resolves to (an attacker's DNS name may
 * answer one public and one private address); the request then goes to the checked address
 * only, so a second resolution cannot swap it (DNS rebinding).
 */
export async function resolveAllowed(
  url: URL,
  policy: AddressPolicy,
  resolve: (host: string) => Promise<Array<{ address: string; family: number }>> = (host) =>
    dnsLookup(host, { all: true, verbatim: true }),
): Promise<{ ip: string; family: number }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookRefusedError(`webhook URL scheme ${url.protocol} is not http or https`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  if (addresses.length === 0) throw new WebhookRefusedError(`${host} resolves to no address`);
  for (const a of addresses) {
    const why = refusedAddress(a.address, policy);
    if (why) throw new WebhookRefusedError(`webhook host ${host} refused: ${why}`);
  }
  return { ip: addresses[0].address, family: addresses[0].family };
}

/** The real transport: node's http(s) with the lookup pinned to the checked address. */
export const httpTransport: WebhookTransport = (url, headers, body, timeoutMs, address) =>
  new Promise((resolve, reject) => {
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(
          null,
          [{ address: address.ip, family: address.family }],
        );
      } else callback(null, address.ip, address.family);
    };
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
