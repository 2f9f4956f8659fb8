/**
 * Names of enrolled edge nodes and the Kafka principal each one gets. An edge node's
 * certificate carries one CN, `logstream-edge.<node name>`, which the broker's second
 * `ssl.principal.mapping.rules` rule maps to itself; a CN is at most 64 characters, so a node
 * name is at most 64 - 15 = 49.
 */
export const EDGE_NODE_PRINCIPAL_PREFIX = 'logstream-edge.';
export const EDGE_NODE_NAME_MAX_LENGTH = 64 - EDGE_NODE_PRINCIPAL_PREFIX.length;
/** A DNS label like a customer id, shorter so that the principal fits in one CN. */
export const EDGE_NODE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,47}[a-z0-9])?$/;

declare const edgeNodeNameBrand: unique symbol;
/** A string that has passed {@link parseEdgeNodeName}. */
export type EdgeNodeName = string & { readonly [edgeNodeNameBrand]: true };

export function isEdgeNodeName(value: unknown): value is EdgeNodeName {
  return typeof value === 'string' && EDGE_NODE_NAME_PATTERN.test(value);
}

/** Why `value` is not an edge node name, in words an operator can act on; undefined if it is. */
export function explainInvalidEdgeNodeName(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'it must be a string';
  if (value.length === 0) return 'it must not be empty';
  if (value.length > EDGE_NODE_NAME_MAX_LENGTH) {
    return `it must be at most ${EDGE_NODE_NAME_MAX_LENGTH} characters (got ${value.length}), so that "${EDGE_NODE_PRINCIPAL_PREFIX}<name>" fits in a certificate's CN`;
  }
  if (/[A-Z]/.test(value)) return 'it must be lowercase';
  if (!/^[a-z0-9-]*$/.test(value)) {
    return 'only lowercase letters a-z, digits 0-9 and "-" are allowed';
  }
  if (value.startsWith('-') || value.endsWith('-')) return 'it must not start or end with "-"';
  return EDGE_NODE_NAME_PATTERN.test(value) ? undefined : 'it must be a DNS label';
}

export class InvalidEdgeNodeNameError extends Error {
  constructor(
    readonly input: unknown,
    readonly reason: string,
  ) {
    super(`invalid edge node name ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidEdgeNodeNameError';
  }
}

export function parseEdgeNodeName(value: unknown): EdgeNodeName {
  const reason = explainInvalidEdgeNodeName(value);
  if (reason !== undefined) throw new InvalidEdgeNodeNameError(value, reason);
  return value as EdgeNodeName;
}

/** The principal (and certificate CN) of an enrolled edge node. */
export function edgeNodePrincipal(name: EdgeNodeName): string {
  return EDGE_NODE_PRINCIPAL_PREFIX + name;
}
