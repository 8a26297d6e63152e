// Importing this package registers the `cosearch-v1` problem with the runner's problem registry
// (the cosearch CLI loads it as a built-in plugin).
export * from './cosearch-config';
export * from './cim-accuracy';
export * from './supernet-cache';
export * from './cosearch';
