export { startServer } from './server/server';
export type { RunningServer, Health, Readiness } from './server/server';
export { DEFAULT_SERVER_OPTIONS, resolveServerOptions, SERVER_NAME, SERVER_VERSION } from './server/options';
export type { ServerOptions } from './server/options';
export { serverOptionsFromFlags, SERVER_FLAGS } from './server/cli-args';
export type { ServerFlags } from './server/cli-args';
export { loadEnvModules } from '@rlfs/envs/node';
