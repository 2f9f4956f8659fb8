export * from './certificate-authority.service';
export * from './dev-pki.service';
export * from './pki.types';
