export * from './certificate-authority.service';
export * from './dev-pki.service';
export * from './pkcs12.factory';
export * from './pki.types';
export * from './key-pair.rules';
export * from './ca-files.loader';
