import { isIP } from 'node:net';

/** What outbound webhooks may reach besides public addresses (development allowances). */
export interface AddressPolicy {
  allowLoopback: boolean;
  allowPrivate: boolean;
  /** The platform's own interface addresses: never reachable, whatever the allowances. */
  ownAddresses?: readonly string[];
}

type Range = [bigint, number]; // network, prefix length (on 128 bits; IPv4 mapped into ::ffff:0:0/96)

function v4ToBig(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBig(ip: string): bigint {
  let text = ip.toLowerCase().split('%')[0];
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4ToBig(dotted[1]);
    text =
      text.slice(0, -dotted[1].length) +
      `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [
    ...headParts,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailParts,
  ];
  return parts.reduce((acc, p) => (acc << 16n) | BigInt(parseInt(p || '0', 16)), 0n);
}

const MAPPED = 0xffffn << 32n;

/** Any address as 128 bits, IPv4 as IPv4-mapped IPv6. */
export function addressBits(ip: string): bigint | undefined {
  const family = isIP(ip.split('%')[0]);
  if (family === 4) return MAPPED | v4ToBig(ip);
  if (family === 6) return v6ToBig(ip);
  return undefined;
}

function v4(cidr: string): Range {
  const [ip, len] = cidr.split('/');
  return [MAPPED | v4ToBig(ip), 96 + Number(len)];
}
function v6(cidr: string): Range {
  const [ip, len] = cidr.split('/');
  return [v6ToBig(ip), Number(len)];
}
function inRange(bits: bigint, [net, len]: Range): boolean {
  const shift = BigInt(128 - len);
  return bits >> shift === net >> shift;
}

const LOOPBACK = [v4('127.0.0.0/8'), v6('::1/128')];
const PRIVATE = [v4('10.0.0.0/8'), v4('172.16.0.0/12'), v4('192.168.0.0/16'), v6('fc00::/7')];
/** Never reachable: link-local (cloud metadata), CGNAT, this-network, reserved, multicast... */
const ALWAYS_BLOCKED = [
  v4('0.0.0.0/8'),
  v4('100.64.0.0/10'),
  v4('169.254.0.0/16'),
  v4('192.0.0.0/24'),
  v4('192.0.2.0/24'),
  v4('198.18.0.0/15'),
  v4('198.51.100.0/24'),
  v4('203.0.113.0/24'),
  v4('224.0.0.0/4'),
  v4('240.0.0.0/4'),
  v6('::/128'),
  v6('fe80::/10'),
  v6('fec0::/10'),
  v6('ff00::/8'),
  v6('2001:db8::/32'),
  v6('100::/64'),
];
/** IPv6 forms that embed an IPv4 address in their low 32 bits: judged by that address. */
const EMBEDS_V4 = [v6('64:ff9b::/96'), v6('::/96')];

/** Why an address may not be reached, or undefined when it may. */
export function refusedAddress(ip: string, policy: AddressPolicy): string | undefined {
  let bits = addressBits(ip);
  if (bits === undefined) return `"${ip}" is not an IP address`;
  if (
    EMBEDS_V4.some((r) => inRange(bits as bigint, r)) &&
    !inRange(bits, v6('::1/128')) &&
    bits !== 0n
  ) {
    bits = MAPPED | (bits & 0xffffffffn);
  }
  const b = bits;
  if (
    (policy.ownAddresses ?? []).some((own) => addressBits(own) === b) &&
    !LOOPBACK.some((r) => inRange(b, r))
  ) {
    return `${ip} is one of the platform's own addresses`;
  }
  if (ALWAYS_BLOCKED.some((r) => inRange(b, r)))
    return `${ip} is in a reserved or link-local range`;
  if (LOOPBACK.some((r) => inRange(b, r))) {
    return policy.allowLoopback ? undefined : `${ip} is a loopback address`;
  }
  if (PRIVATE.some((r) => inRange(b, r))) {
    return policy.allowPrivate ? undefined : `${ip} is in a private range`;
  }
  return undefined;
}
