import type { EnvReader } from './env.reader';

/**
 * Every customer's client quotas unless it has its own (docs/provisioner.md#quotas). The
 * provisioner sets them on the broker; the control API shows them as a customer's effective
 * quota, so both read the same variables.
 */
export interface QuotaDefaults {
  /** Bytes per second a customer's consumers may fetch, over all its credentials. */
  consumerByteRate: number;
  /** Percent of one broker thread's time a customer's requests may take (network + I/O). */
  requestPercentage: number;
}

/**
 * The bounds the API accepts for a customer's own quotas too. The broker never serves a fetch
 * response larger than one second of the quota (it measures rates over 2 one-second samples,
 * server.properties), and a record batch is never split: 1 MiB/s stays above the edge
 * producer's largest batch (--batch-bytes, 1,000,000 bytes), so a customer always progresses.
 */
export const QUOTA_BOUNDS = {
  consumerByteRate: { min: 1024 * 1024, max: 10 * 1024 ** 3 },
  requestPercentage: { min: 1, max: 10_000 },
} as const;

export function readQuotaDefaults(r: EnvReader): QuotaDefaults {
  const { consumerByteRate, requestPercentage } = QUOTA_BOUNDS;
  return {
    consumerByteRate: r.int(
      'LOGSTREAM_QUOTA_CONSUMER_BYTE_RATE',
      10 * 1024 * 1024,
      consumerByteRate.min,
      consumerByteRate.max,
    ),
    requestPercentage: r.int(
      'LOGSTREAM_QUOTA_REQUEST_PERCENTAGE',
      100,
      requestPercentage.min,
      requestPercentage.max,
    ),
  };
}
