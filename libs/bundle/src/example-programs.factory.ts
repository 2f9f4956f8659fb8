import { bundleAsset } from './bundle-assets.factory';

/**
 * examples/kcat.sh: a bash wrapper around kcat. Shipped as written (libs/bundle/assets); it
 * reads the servers, topic and group prefix from the bundle's client.properties.
 */
export function kcatExample(): string {
  return bundleAsset('examples/kcat.sh');
}

/** examples/consumer.py: confluent-kafka (1.7 as Debian ships it, or newer from pip), as written. */
export function pythonExample(): string {
  return bundleAsset('examples/consumer.py');
}
