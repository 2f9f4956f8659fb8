export * from './bundle-files.factory';
export * from './bundle.errors';
export * from './bundle.rules';
export * from './bundle.types';
export * from './credential-bundle.service';
export { EXAMPLE_COMMANDS } from './readme.factory';
export * from './client-snippets.factory';
