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
  // Lines a source that cannot wait would drop because the Kafka queue is full. Always 0 today:
  // a full queue pauses every source. Kept because the design lists it among the metric labels;
  // the disk spool (issue #18, not built yet) is what gives it a meaning.
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
