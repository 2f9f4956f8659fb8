export * from './config.errors';
export * from './config.loader';
export * from './env.reader';
export * from './control-api-config.loader';
