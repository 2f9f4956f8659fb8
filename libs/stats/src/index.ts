export * from './customer-stats.aggregator';
export * from './hyperloglog.sketch';
export * from './key-hash.rules';
export * from './log-format.rules';
export * from './space-saving.sketch';
export * from './stats-record.types';
export * from './window-stats.aggregate';
