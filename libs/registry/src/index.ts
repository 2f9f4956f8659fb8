export * from './tenant-record.types';
export * from './tenant-registry.writer';
