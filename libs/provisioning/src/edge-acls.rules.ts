import { type AclBinding, edgeProducerAcls } from '@logstream/kafka';
import { edgeNodePrincipal, explainInvalidEdgeNodeName, isEdgeNodeName } from '@logstream/tenancy';
import { diffAcls } from './desired-state.rules';

/** An enrolled edge node as the provisioner reads it (table edge_nodes, not revoked). */
export interface EdgeNodeInput {
  name: string;
  principal: string;
  notAfter: Date;
  revokedAt: Date | null;
}

export interface DesiredEdgePrincipals {
  /** Sorted, each once: the configured ones and every live enrolled node's. */
  principals: string[];
  /** Enrolled rows refused any access, each with why. */
  refused: string[];
}

/**
 * Why an enrollment row must get no access, or undefined when its principal is the one its
 * name gives: the provisioner grants what the row says, so a row naming another principal (a
 * platform one, a customer's) would otherwise hand it WRITE on every customer topic.
 */
export function edgeNodePrincipalProblem(node: EdgeNodeInput): string | undefined {
  if (!isEdgeNodeName(node.name)) {
    const reason = explainInvalidEdgeNodeName(node.name) ?? 'not a DNS label';
    return `edge node "${node.name}" has an invalid name (${reason}); no access granted to it`;
  }
  const own = edgeNodePrincipal(node.name);
  if (node.principal === own) return undefined;
  return `edge node "${node.name}" names principal "${node.principal}", not its own "${own}"; no access granted to it`;
}

/**
 * The edge producer principals that must hold {@link edgeProducerAcls}: the configured ones
 * (LOGSTREAM_EDGE_PRINCIPALS, the development identity) and every enrolled node that is neither
 * revoked nor expired (an expired certificate cannot connect; its grants would only linger).
 */
export function desiredEdgePrincipals(
  configured: readonly string[],
  nodes: readonly EdgeNodeInput[],
  now: Date,
): DesiredEdgePrincipals {
  const principals = new Set(configured);
  const refused: string[] = [];
  for (const node of nodes) {
    if (node.revokedAt !== null || node.notAfter.getTime() <= now.getTime()) continue;
    const problem = edgeNodePrincipalProblem(node);
    if (problem === undefined) principals.add(node.principal);
    else refused.push(problem);
  }
  return { principals: [...principals].sort(), refused };
}

/** The edge grants of `principals` that Kafka does not hold yet (`current`: every ACL). */
export function missingEdgeAcls(
  principals: readonly string[],
  current: readonly AclBinding[],
): AclBinding[] {
  return diffAcls(current, principals.flatMap(edgeProducerAcls)).create;
}
