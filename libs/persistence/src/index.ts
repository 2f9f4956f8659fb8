export * from './database.errors';
export * from './entities/credential.entity';
export * from './entities/customer-token.entity';
export * from './entities/customer.entity';
export * from './entities/streaming-state.types';
export * from './persistence.factory';
export * from './query-result';
export * from './reconcile.channel';
