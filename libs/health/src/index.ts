export * from './group-lag.rules';
export * from './health.types';
export * from './kafka-health.reader';
export * from './offset-history.rules';
