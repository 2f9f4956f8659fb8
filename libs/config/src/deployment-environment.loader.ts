import type { EnvReader } from './env.reader';

export const DEPLOYMENT_ENVIRONMENTS = ['development', 'production'] as const;
export type DeploymentEnvironment = (typeof DEPLOYMENT_ENVIRONMENTS)[number];

/**
 * LOGSTREAM_ENV, read the same way by every app. Development mode is explicit: without it an app
 * holds itself to production rules (real secret keys, no development shortcuts), so a forgotten
 * variable never weakens a deployment.
 */
export function readDeploymentEnvironment(r: EnvReader): DeploymentEnvironment {
  return r.oneOf('LOGSTREAM_ENV', DEPLOYMENT_ENVIRONMENTS, 'production');
}
