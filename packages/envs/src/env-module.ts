/**
 * Accepting a user's environment module: find the `defineEnv` definitions it exports, run the env checker on
 * each, and register those that pass. Pure: the caller imports the module (a CLI, with node's `import()`) and
 * hands over its exports, so this package stays free of files and processes.
 */
import { checkEnv, type CheckResult } from './checker';
import { type DefinedEnvironment, isDefinedEnvironment } from './define-env';
import { whyNotDrawList } from './draw';
import { getEnv, listEnvs, register } from './registry';

/** A module that exports no environment, or one the checker refused; `findings` lists the failed checks. */
export class EnvModuleError extends Error {
  override name = 'EnvModuleError';
  /** Lets command lines print the message alone, as for any expected error. */
  readonly code = 'ENV_MODULE';
  constructor(
    message: string,
    readonly findings: readonly CheckResult[] = [],
  ) {
    super(message);
  }
}

export interface CheckDefinedOptions {
  /** Seed of the checks (default 0). */
  seed?: number;
  /** Steps each stepping check takes (default 300). */
  steps?: number;
}

/**
 * The env checker on a definition with its default options: spec, reset needed, observations in the space,
 * episode ends (terminated vs truncated, info.episode, no episode past maxEpisodeSteps), seed and step
 * determinism, invalid actions, the vector env against scalar ones, and the draw list when there is one.
 */
export async function checkDefinedEnv(entry: DefinedEnvironment, options: CheckDefinedOptions = {}): Promise<CheckResult[]> {
  const make = () => entry.make();
  const report = await checkEnv(make, { ...options, vector: { makeScalar: make, makeVector: (n) => entry.makeVector(undefined, n) } });
  if (entry.definition.draw) {
    let message = 'ok';
    try {
      const env = make();
      env.reset({ seed: options.seed ?? 0 });
      const n = env.spec.actionSpace.type === 'Discrete' ? env.spec.actionSpace.n : 1;
      for (let t = 0; t < 20 && message === 'ok'; t++) {
        const why = whyNotDrawList(env.render('draw'));
        if (why) message = `step ${t}: the draw list is malformed: ${why}`;
        const r = env.step(t % n);
        if (r.terminated || r.truncated) env.reset();
      }
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    report.push({ name: 'checkDrawList', ok: message === 'ok', message });
  }
  return report;
}

/**
 * The environments a module exports: its default export (one definition or a list of them) and every named
 * export that is a definition, each once.
 */
export function definitionsIn(exported: Record<string, unknown>): DefinedEnvironment[] {
  const found = new Set<DefinedEnvironment>();
  const consider = (value: unknown): void => {
    if (isDefinedEnvironment(value)) found.add(value);
    else if (Array.isArray(value)) value.filter(isDefinedEnvironment).forEach((v) => found.add(v));
  };
  consider(exported.default);
  // A CommonJS module compiled from `export default` nests it one level deeper.
  if (exported.default && typeof exported.default === 'object') consider((exported.default as Record<string, unknown>).default);
  Object.values(exported).forEach(consider);
  return [...found];
}

/**
 * Checks every environment `exported` defines and registers them; `source` names the module in messages.
 * Throws EnvModuleError when it defines none, when an id is already registered, or when a check fails (nothing
 * is registered then).
 */
export async function acceptEnvModule(exported: Record<string, unknown>, source: string, options: CheckDefinedOptions = {}): Promise<DefinedEnvironment[]> {
  const entries = definitionsIn(exported);
  if (entries.length === 0) {
    throw new EnvModuleError(`${source} exports no environment: export default defineEnv({...}) (see docs/environments.md)`);
  }
  for (const entry of entries) {
    if (listEnvs().includes(entry.id) && getEnv(entry.id) !== entry) {
      throw new EnvModuleError(`${source}: environment ${entry.id} is already registered (ids must be unique: rename it, e.g. ${entry.id.replace(/-v(\d+)$/, (_, v: string) => `-v${Number(v) + 1}`)})`);
    }
  }
  for (const entry of entries) {
    const report = await checkDefinedEnv(entry, options);
    const failed = report.filter((r) => !r.ok);
    if (failed.length > 0) {
      const lines = failed.map((r) => `  FAIL ${r.name}: ${r.message}`).join('\n');
      throw new EnvModuleError(`${source}: ${entry.id} breaks the environment contract, refused:\n${lines}`, failed);
    }
  }
  for (const entry of entries) if (!listEnvs().includes(entry.id)) register(entry);
  return entries;
}
