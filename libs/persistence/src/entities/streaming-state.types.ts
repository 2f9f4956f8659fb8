/** What the provisioner reports for a customer's streaming, as the REST contract names it. */
export const STREAMING_STATES = [
  'provisioning',
  'active',
  'disabling',
  'disabled',
  'failed',
] as const;
export type StreamingState = (typeof STREAMING_STATES)[number];
