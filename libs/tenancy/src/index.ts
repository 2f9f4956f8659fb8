export * from './tenancy.rules';
export * from './edge-node.rules';
