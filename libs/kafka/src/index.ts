export * from './acl.types';
export * from './customer-acls.rules';
export * from './kafka-admin.service';
export * from './kafka-client.factory';
export * from './kafka.errors';
export * from './platform-acls.rules';
export * from './request.batcher';
export * from './compression.codecs';
