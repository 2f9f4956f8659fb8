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
  // Kept for the contract's metric label set; always 0 because a full local queue pauses the
  // source (backpressure) instead of dropping lines.
  'queue_full',
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

export const DROP_UNKNOWN_CUSTOMER = 0;
export const DROP_INACTIVE = 1;
export const DROP_INVALID_ID = 2;
export const DROP_MALFORMED = 3;
export const DROP_OVERSIZE = 4;
export const DROP_QUEUE_FULL = 5;

/** A {@link routeLine} outcome: a drop reason code, or {@link ROUTED}. */
export const ROUTED = -1;
export type RouteOutcome = -1 | 0 | 1 | 2 | 3 | 4;
