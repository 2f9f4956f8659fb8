import {
  consumerGroupPrefix,
  customerStatsTopic,
  customerTopic,
  type CustomerId,
} from '@logstream/tenancy';
import { renderAsset, templateValues } from './bundle-assets.factory';
import type { BundleValues, ExampleTool } from './bundle.types';
import { clientProperties, filebeatExample, logstashExample } from './config-examples.factory';

/** What a client snippet is made for: a customer, as its panel shows it, without a credential. */
export interface ClientSnippetView {
  customerId: CustomerId;
  /** The SSL listener's bootstrap servers, as customers reach them. */
  bootstrapServers: readonly string[];
}

/** Stands where a snippet needs what only a credential's bundle holds. */
export const SNIPPET_P12_PASSWORD = '<the client.p12 password from the bundle README>';

/**
 * A ready snippet per client for one customer, made from the same assets and values as the
 * credentials bundle (libs/bundle/assets): each runs in an unzipped bundle folder, where the
 * certificates are. Java's is the bundle's client.properties, its password left to the bundle.
 */
export function clientSnippets(view: ClientSnippetView): Record<ExampleTool, string> {
  const v: BundleValues = {
    customerId: view.customerId,
    credentialId: '<credential>',
    principal: '<principal>',
    topic: customerTopic(view.customerId),
    statsTopic: customerStatsTopic(view.customerId),
    groupPrefix: consumerGroupPrefix(view.customerId),
    bootstrap: view.bootstrapServers.join(','),
    bootstrapServers: view.bootstrapServers,
    certificateExpiry: '',
    fingerprintSha256: '',
    p12Password: SNIPPET_P12_PASSWORD,
  };
  const values = templateValues(v);
  return {
    kcat: renderAsset('snippets/kcat.sh', values),
    python: renderAsset('snippets/consumer.py', values),
    node: renderAsset('snippets/consumer.mjs', values),
    java: clientProperties(v),
    filebeat: filebeatExample(v),
    logstash: logstashExample(v),
  };
}
