export * from './tenancy.rules';
