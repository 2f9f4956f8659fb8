import {
  BYTE_CLASS,
  BYTE_INVALID,
  BYTE_SPACE,
  finishIdHash,
  hashIdByte,
  HASH_SEED,
  HYPHEN,
  ID_MAX_BYTES,
  SPACE,
} from './customer-id-bytes.rules';
import {
  DROP_INACTIVE,
  DROP_INVALID_ID,
  DROP_MALFORMED,
  DROP_OVERSIZE,
  DROP_UNKNOWN_CUSTOMER,
  ROUTED,
  type RouteOutcome,
} from './drop-reason.types';
import type { Tenant, TenantTable } from './tenant-table.index';

/**
 * Decides where one line goes: `<customerId> <log line>` is split once, at the first space; the
 * id must be a customer id of the contract, known to the registry and enabled. Works on the
 * bytes in place: no string is made for the line or its id.
 */
export class LineRouter {
  /**
   * After {@link route}: the customer the line belongs to when it returned ROUTED or
   * DROP_INACTIVE, and when it returned DROP_OVERSIZE, the known customer the line's head
   * names, if any (otherwise stale: read it for those outcomes only).
   */
  tenant: Tenant | undefined = undefined;
  /** After {@link route} returned ROUTED: where the log line (after the id and space) starts. */
  valueStart = 0;
  /** The hash of the id {@link scanId} found last. */
  private hash = 0;

  constructor(
    private readonly table: TenantTable,
    readonly maxLineBytes: number,
  ) {}

  /**
   * Routes the line `buf[start, end)` (its line terminator already removed). `oversize`: the
   * reader skipped the line (too long) and `buf[start, end)` is only its head.
   */
  route(buf: Buffer, start: number, end: number, oversize = false): RouteOutcome {
    const length = end - start;
    if (oversize || length > this.maxLineBytes) {
      this.tenant = this.ownerOfHead(buf, start, end);
      return DROP_OVERSIZE;
    }
    if (length === 0) return DROP_MALFORMED;
    const i = this.scanId(buf, start, end);
    if (i < 0) return ~i as RouteOutcome;
    // Nothing to send is malformed whatever the id, as for ids with bytes no id may hold.
    if (i + 1 === end) return DROP_MALFORMED;
    if (buf[start] === HYPHEN || buf[i - 1] === HYPHEN) return DROP_INVALID_ID;
    const tenant = this.table.find(buf, start, i, this.hash);
    if (tenant === undefined) return DROP_UNKNOWN_CUSTOMER;
    this.tenant = tenant;
    if (!tenant.enabled) return DROP_INACTIVE;
    this.valueStart = i + 1;
    return ROUTED;
  }

  /** The known customer an oversize line's head names (counted per customer), if any. */
  private ownerOfHead(buf: Buffer, start: number, end: number): Tenant | undefined {
    if (end === start) return undefined;
    const i = this.scanId(buf, start, end);
    if (i < 0 || buf[start] === HYPHEN || buf[i - 1] === HYPHEN) return undefined;
    return this.table.find(buf, start, i, this.hash);
  }

  /**
   * Finds the space that ends the id in a non-empty line: its index (the id's hash left in
   * {@link hash}), or the bitwise complement of the drop code when there is no usable id.
   */
  private scanId(buf: Buffer, start: number, end: number): number {
    const idLimit = Math.min(end, start + ID_MAX_BYTES + 1);
    let h = HASH_SEED;
    let i = start;
    for (; i < idLimit; i++) {
      const c = buf[i];
      const kind = BYTE_CLASS[c];
      if (kind === BYTE_SPACE) break;
      if (kind === BYTE_INVALID) return ~this.invalidOrMalformed(buf, i, end);
      h = hashIdByte(h, c);
    }
    if (i === idLimit) {
      // No space within the longest id: no separator at all, or an id that is too long.
      return ~(i === end ? DROP_MALFORMED : this.invalidOrMalformed(buf, i, end));
    }
    if (i === start) return ~DROP_MALFORMED; // the line starts with a space: no id
    this.hash = finishIdHash(h);
    return i;
  }

  /** The id part holds a byte no id may hold (or is too long): an id only if a space follows. */
  private invalidOrMalformed(buf: Buffer, from: number, end: number): RouteOutcome {
    const space = buf.indexOf(SPACE, from);
    return space === -1 || space >= end - 1 ? DROP_MALFORMED : DROP_INVALID_ID;
  }
}
