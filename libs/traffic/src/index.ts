export * from './traffic.rules';
