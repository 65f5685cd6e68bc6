/**
 * The plugin registry: built-in algorithms by name, loaded lazily so that `random` and `tabular-q` do not pay
 * for TensorFlow.js. A new algorithm is one file plus one line in BUILTIN.
 *
 * `--agent` also takes a path (`./my-agent.ts`, `/abs/agent.js`) or a package name of a user's module that exports
 * a plugin (as `default`, as `plugin`, or as any named export of plugin shape).
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { AnyAgentPlugin } from './plugin';
import { isAgentPlugin } from './plugin';
import { UnknownAgentError } from './errors';

const BUILTIN: Readonly<Record<string, () => Promise<AnyAgentPlugin>>> = {
  random: async () => (await import('./random')).randomPlugin,
  'tabular-q': async () => (await import('./tabular-q')).tabularQPlugin,
  dqn: async () => (await import('./dqn')).dqnPlugin,
};

/** Names of the built-in plugins. */
export function listAgents(): string[] {
  return Object.keys(BUILTIN);
}

/** True when `name` is a built-in agent. */
export function isBuiltinAgent(name: string): boolean {
  return Object.hasOwn(BUILTIN, name);
}

/** The built-in plugin of that name, or undefined: never imports anything but the registry's own files. */
export async function builtinPlugin(name: string): Promise<AnyAgentPlugin | undefined> {
  return isBuiltinAgent(name) ? BUILTIN[name]!() : undefined;
}

export interface ResolvedPlugin {
  plugin: AnyAgentPlugin;
  /** Absolute path of the user module it came from; undefined for a built-in. */
  module?: string;
}

/**
 * Finds a plugin by registered name, else imports `spec` as a module path (relative to `cwd`) or package name.
 * @throws UnknownAgentError when neither gives a module exporting a plugin
 */
export async function resolvePlugin(spec: string, cwd: string = process.cwd()): Promise<ResolvedPlugin> {
  const builtin = await builtinPlugin(spec);
  if (builtin) return { plugin: builtin };
  const file = locate(spec, cwd);
  let exported: Record<string, unknown>;
  try {
    exported = (await import(file)) as Record<string, unknown>;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UnknownAgentError(`--agent ${spec}: not one of ${listAgents().join(', ')}, and importing ${file} failed: ${why}`);
  }
  const plugin = findPlugin(exported);
  if (!plugin) {
    throw new UnknownAgentError(`--agent ${spec}: ${file} exports no agent plugin (export default definePlugin({...}) or export const plugin)`);
  }
  return { plugin, module: file };
}

function locate(spec: string, cwd: string): string {
  const looksLikePath = spec.startsWith('.') || path.isAbsolute(spec) || /\.(m|c)?(t|j)s$/.test(spec);
  if (looksLikePath) return path.resolve(cwd, spec);
  try {
    return createRequire(path.join(cwd, 'noop.js')).resolve(spec);
  } catch {
    throw new UnknownAgentError(`--agent ${spec}: not one of ${listAgents().join(', ')}, nor a module path or an installed package`);
  }
}

function findPlugin(exported: Record<string, unknown>): AnyAgentPlugin | undefined {
  const candidates = [exported.default, exported.plugin, (exported.default as Record<string, unknown> | undefined)?.default, ...Object.values(exported)];
  return candidates.find(isAgentPlugin);
}
