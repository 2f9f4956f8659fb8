export * from './traffic.rules';
export * from './ground-truth.rules';
