export * from './json.logger';
export * from './log-line.types';
export * from './main.runner';
export * from './probe.server';
