/**
 * Why a line read at the edge was not produced. The order is fixed: counters are arrays indexed
 * by these codes on the per-line path, and metrics label them by name.
 */
export const DROP_REASONS = [
  'unknown_customer',
  'inactive',
  'invalid_id',
  'malformed',
  'oversize',
  // Lines lost because the Kafka queue was full: with a disk spool (--spool-dir), the spooled
  // lines it dropped (its budget full, or an unreadable block); the spool's own
  // spool_lines_total{event="dropped"} is the same count. Without a spool a full queue pauses
  // the source and this stays 0.
  'queue_full',
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

/** The position of `V` in the tuple `T`, as a number literal type. */
type IndexOf<T extends readonly unknown[], V, Seen extends unknown[] = []> = T extends readonly [
  infer Head,
  ...infer Rest,
]
  ? Head extends V
    ? Seen['length']
    : IndexOf<Rest, V, [...Seen, Head]>
  : never;

/** A drop reason's code: its index in {@link DROP_REASONS}. */
export type DropCode<R extends DropReason = DropReason> = {
  [K in R]: IndexOf<typeof DROP_REASONS, K>;
}[R];

export function dropCode<R extends DropReason>(reason: R): DropCode<R> {
  return DROP_REASONS.indexOf(reason) as DropCode<R>;
}

export const DROP_UNKNOWN_CUSTOMER = dropCode('unknown_customer');
export const DROP_INACTIVE = dropCode('inactive');
export const DROP_INVALID_ID = dropCode('invalid_id');
export const DROP_MALFORMED = dropCode('malformed');
export const DROP_OVERSIZE = dropCode('oversize');
export const DROP_QUEUE_FULL = dropCode('queue_full');

/** A {@link LineRouter.route} outcome: the code of why the line is dropped, or {@link ROUTED}. */
export const ROUTED = -1;
export type RouteOutcome =
  | typeof ROUTED
  | DropCode<'unknown_customer' | 'inactive' | 'invalid_id' | 'malformed' | 'oversize'>;
