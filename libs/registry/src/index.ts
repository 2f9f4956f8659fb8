export * from './tenant-record.types';
export * from './edge-stats-record.types';
