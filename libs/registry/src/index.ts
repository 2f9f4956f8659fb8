export * from './tenant-record.types';
