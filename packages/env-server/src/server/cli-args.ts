/**
 * The server's command-line flags, shared by `npm run server` and `npm start`.
 */
import { parseArgs } from 'node:util';
import type { ServerOptions } from './options';
import { DEFAULT_SERVER_OPTIONS } from './options';

export const SERVER_FLAGS = {
  port: { type: 'string', help: `port to listen on; 0 picks a free one (default ${DEFAULT_SERVER_OPTIONS.port})` },
  host: { type: 'string', help: `address to bind (default ${DEFAULT_SERVER_OPTIONS.host}, this machine only)` },
  token: { type: 'string', help: 'require this token in hello (default: none; also RLFS_TOKEN)' },
  'allow-origin': { type: 'string', multiple: true, help: 'browser origin allowed to open the socket, repeatable (default: only the server\'s own pages)' },
  'max-payload': { type: 'string', help: `largest message in bytes; past it the connection closes with 1009 (default ${DEFAULT_SERVER_OPTIONS.maxPayload})` },
  'max-connections': { type: 'string', help: `connections held at once (default ${DEFAULT_SERVER_OPTIONS.maxConnections})` },
  'max-num-envs': { type: 'string', help: `largest numEnvs of a vector session (default ${DEFAULT_SERVER_OPTIONS.maxNumEnvs})` },
  'max-session-bytes': { type: 'string', help: `memory one session's environments may hold (default ${DEFAULT_SERVER_OPTIONS.maxSessionBytes})` },
  'spectator-high-water': { type: 'string', help: `bytes queued to a spectator before frames are coalesced (default ${DEFAULT_SERVER_OPTIONS.spectatorHighWater})` },
  'max-spectator-queue': { type: 'string', help: `events kept for a spectator that does not read (default ${DEFAULT_SERVER_OPTIONS.maxSpectatorQueue})` },
  'agent-high-water': { type: 'string', help: `bytes of unread replies before an agent's requests are paused (default ${DEFAULT_SERVER_OPTIONS.agentHighWater})` },
  'static-dir': { type: 'string', help: 'folder of the viewer pages served at / (default: packages/viewer/dist)' },
  'env-module': { type: 'string', multiple: true, help: 'a module (.ts or .js) exporting defineEnv environments to serve, repeatable; checked on load' },
  help: { type: 'boolean', help: 'print this help' },
} as const;

/** The flags' help text, one line each. */
export function serverFlagsHelp(): string {
  return Object.entries(SERVER_FLAGS)
    .map(([name, flag]) => `  --${(name + (flag.type === 'string' ? ' VALUE' : '')).padEnd(28)} ${flag.help}`)
    .join('\n');
}

export interface ParsedServerArgs {
  options: Partial<ServerOptions>;
  help: boolean;
  /** Arguments that are not server flags, for commands that add their own. */
  rest: string[];
  /** `--env-module` paths, in order (loaded by the command before the server starts). */
  envModules: string[];
}

/** Parses server flags (throwing a TypeError naming a bad one); unknown flags are left in `rest` when `strict` is false. */
export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, strict = true): ParsedServerArgs {
  const config = Object.fromEntries(Object.entries(SERVER_FLAGS).map(([k, v]) => [k, { type: v.type, ...('multiple' in v ? { multiple: true } : {}) }]));
  const { values, tokens } = parseArgs({ args: argv, options: config as Parameters<typeof parseArgs>[0] extends infer C ? C extends { options?: infer O } ? O : never : never, strict, allowPositionals: !strict, tokens: true });
  const v = values as Record<string, string | string[] | boolean | undefined>;
  const options: Partial<ServerOptions> = {};
  const int = (flag: string): number | undefined => {
    const raw = v[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n)) throw new TypeError(`--${flag}: expected an integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  const set = <K extends keyof ServerOptions>(key: K, value: ServerOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('port', int('port'));
  set('host', v.host as string | undefined);
  set('token', (v.token as string | undefined) ?? (env.RLFS_TOKEN || undefined));
  set('allowOrigins', v['allow-origin'] as string[] | undefined);
  set('maxPayload', int('max-payload'));
  set('maxConnections', int('max-connections'));
  set('maxNumEnvs', int('max-num-envs'));
  set('maxSessionBytes', int('max-session-bytes'));
  set('spectatorHighWater', int('spectator-high-water'));
  set('maxSpectatorQueue', int('max-spectator-queue'));
  set('agentHighWater', int('agent-high-water'));
  set('staticDir', v['static-dir'] as string | undefined);
  const known = new Set(Object.keys(SERVER_FLAGS));
  const rest: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind === 'positional') rest.push(token.value);
    else if (token.kind === 'option' && !known.has(token.name)) {
      rest.push(token.rawName);
      if (token.value !== undefined) rest.push(token.value);
    }
  }
  return { options, help: v.help === true, rest, envModules: (v['env-module'] as string[] | undefined) ?? [] };
}
