export * from './tenant-record.types';
export * from './tenant-registry.writer';
export * from './tenant-registry.reader';
