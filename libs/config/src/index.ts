export * from './config.errors';
export * from './config.loader';
export * from './control-api-config.loader';
export * from './env.reader';
export * from './provisioner-config.loader';
export * from './health-config.loader';
export * from './panel-config.loader';
