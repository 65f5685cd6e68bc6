/**
 * Node entry of the environment core (`@rlfs/envs/node`): `--env-module PATH` for every command that takes it (the
 * server, `npm start`, train, eval). It imports a user's environment module (TypeScript through tsx, or JavaScript),
 * runs the env checker on every environment it defines and registers them. The rest of the package stays free of
 * I/O; this file is the one door to the file system, as `@rlfs/protocol/node` is for sockets.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { acceptEnvModule, EnvModuleError } from './env-module';

/**
 * Loads each module in turn (paths relative to `cwd`) and returns the ids it registered. Throws EnvModuleError
 * naming the module when it is missing, fails to import, defines no environment, or breaks the contract.
 */
export async function loadEnvModules(paths: readonly string[], cwd: string = process.cwd()): Promise<string[]> {
  const ids: string[] = [];
  for (const given of paths) {
    const file = path.resolve(cwd, given);
    if (!existsSync(file)) throw new EnvModuleError(`--env-module ${given}: no such file (${file})`);
    let exported: Record<string, unknown>;
    try {
      exported = (await import(file)) as Record<string, unknown>;
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new EnvModuleError(`--env-module ${given}: importing ${file} failed: ${why}`);
    }
    const entries = await acceptEnvModule(exported, `--env-module ${given}`);
    ids.push(...entries.map((e) => e.id));
  }
  return ids;
}
