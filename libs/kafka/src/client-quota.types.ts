/** Kafka's quota keys the platform sets (KIP-13 byte rates, KIP-124 request time). */
export const CONSUMER_BYTE_RATE = 'consumer_byte_rate';
export const REQUEST_PERCENTAGE = 'request_percentage';

/** The quotas of one user entity; `user: null` is the default user entity (`<default>`). */
export interface UserQuota {
  user: string | null;
  values: Readonly<Record<string, number>>;
}

/** One entity's change: keys set to a value, keys removed (all removed: the entity is gone). */
export interface UserQuotaChange {
  user: string | null;
  set: Readonly<Record<string, number>>;
  remove: readonly string[];
}
