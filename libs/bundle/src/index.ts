export * from './bundle.types';
export * from './credential-bundle.service';
