export * from './version';
export * from './feed';
export * from './schedule';
