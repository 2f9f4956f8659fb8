export * from './edge-admin-args.rules';
export * from './edge-bundle.factory';
export * from './edge-enrollment.service';
export * from './edge-node.errors';
export * from './platform-authority.loader';
