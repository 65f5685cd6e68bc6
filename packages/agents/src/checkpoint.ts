/**
 * Checkpoints: a folder with `checkpoint.json` (the manifest: format, version, agent, options, the spec trained on,
 * progress, the agent's JSON state, and a table of arrays) and one binary file of those arrays, little-endian,
 * each starting at a multiple of 8 bytes. Plain files written with node:fs, so every backend reads and writes them
 * (TFJS's file:// handler exists only in tfjs-node). Documented in docs/agents.md.
 *
 * A checkpoint is data, never code: loading finds the agent in the registry by name, or takes the plugin the user
 * names on the command line (`--agent PATH|PKG`); nothing named in the file is imported. Reading checks every field
 * (checkpoint-manifest.ts) and keeps every path inside the folder.
 *
 * Writes are durable (durable.ts): the binary file gets a new name each time and is written durably, then the
 * manifest replaces the old one by an fsynced rename, and only then are older binaries and the leftovers of
 * interrupted saves removed. A save interrupted at any point leaves the previous checkpoint or the new one.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AgentSpec } from './env-like';
import { formatSpace } from './env-like';
import type { Agent, AgentSnapshot, AnyAgentPlugin, SavedTensor } from './plugin';
import { AgentError, CheckpointFormatError, CheckpointMismatchError, UnknownAgentError } from './errors';
import { builtinPlugin, listAgents, resolvePlugin } from './registry';
import { removeLeftovers, writeFileDurable } from './durable';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, MANIFEST_FILE, MAX_MANIFEST_BYTES, checkTensorLayout, confinedPath, parseManifest } from './checkpoint-manifest';
import type { CheckpointManifest, DTypeName, Progress, TensorEntry } from './checkpoint-manifest';

export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, MANIFEST_FILE, MAX_MANIFEST_BYTES };
export type { CheckpointManifest, Progress, TensorEntry };

export interface SaveInfo {
  plugin: AnyAgentPlugin;
  options: object;
  spec: AgentSpec;
  seed: number;
  progress: Progress;
  backend?: string;
}

const TENSOR_FILE = /^tensors-.*\.bin$/;
/** The temporary manifest of saves made before durable.ts (`.checkpoint.json.<pid>.tmp`). */
const LEGACY_TEMP = /^\.checkpoint\.json\.\d+\.tmp$/;

/** The save under way per folder: saves into one folder run one after another (each removes the others' old files). */
const savesUnderWay = new Map<string, Promise<unknown>>();

/**
 * Writes `agent`'s snapshot and `info` into the folder `dir` (created if missing), durably. Overlapping saves into
 * the same folder (a periodic save and a Ctrl-C save) are queued, so the newest manifest always names its own binary.
 */
export function saveCheckpoint(dir: string, agent: Agent, info: SaveInfo): Promise<CheckpointManifest> {
  const key = path.resolve(dir);
  const previous = savesUnderWay.get(key) ?? Promise.resolve();
  const save = previous.catch(() => undefined).then(() => saveNow(dir, agent, info));
  savesUnderWay.set(key, save);
  void save.finally(() => {
    if (savesUnderWay.get(key) === save) savesUnderWay.delete(key);
  }).catch(() => undefined);
  return save;
}

async function saveNow(dir: string, agent: Agent, info: SaveInfo): Promise<CheckpointManifest> {
  const snapshot = await agent.snapshot();
  await fs.mkdir(dir, { recursive: true });
  removeLeftovers(dir);
  const { bytes, entries } = packTensors(snapshot.tensors);
  const tensorFile = `tensors-${Date.now()}-${process.pid}.bin`;
  await writeFileDurable(path.join(dir, tensorFile), bytes);
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    agent: info.plugin.name,
    options: { ...info.options },
    spec: pickSpec(info.spec),
    seed: info.seed,
    progress: { steps: info.progress.steps, episodes: info.progress.episodes },
    ...(info.backend ? { backend: info.backend } : {}),
    createdAt: new Date().toISOString(),
    state: snapshot.state,
    tensorFile,
    tensors: entries,
  };
  await writeFileDurable(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
  for (const name of await fs.readdir(dir)) {
    const stale = (TENSOR_FILE.test(name) && name !== tensorFile) || LEGACY_TEMP.test(name);
    if (stale) await fs.rm(path.join(dir, name), { force: true });
  }
  return manifest;
}

export interface ReadCheckpoint {
  manifest: CheckpointManifest;
  snapshot: AgentSnapshot;
  /** The checkpoint folder. */
  dir: string;
  /** Its checkpoint.json (what messages name). */
  file: string;
}

/**
 * Reads and checks a checkpoint folder (or a run folder holding `checkpoint/`).
 * @throws CheckpointFormatError naming the file and what is wrong with it
 */
export async function readCheckpoint(dir: string): Promise<ReadCheckpoint> {
  const folder = await checkpointFolder(dir);
  const file = path.join(folder, MANIFEST_FILE);
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error('not a file');
    if (stat.size > MAX_MANIFEST_BYTES) throw new CheckpointFormatError(`${file}: ${stat.size} bytes, more than the ${MAX_MANIFEST_BYTES} a checkpoint manifest may have`);
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof CheckpointFormatError) throw err;
    throw new CheckpointFormatError(`${file}: cannot read ${MANIFEST_FILE}: ${(err as Error).message}`);
  }
  const manifest = parseManifest(text, file);
  const binPath = await confinedPath(folder, manifest.tensorFile, 'tensorFile', file);
  const bytes = await fs.readFile(binPath);
  checkTensorLayout(manifest.tensors, bytes.byteLength, manifest.tensorFile, file);
  return { manifest, snapshot: { state: manifest.state, tensors: unpackTensors(bytes, manifest.tensors) }, dir: folder, file };
}

/**
 * Refuses a checkpoint whose observation or action space differs from the environment's.
 * @throws CheckpointMismatchError naming both specs
 */
export function assertCompatible(trained: AgentSpec, env: AgentSpec): void {
  const sameObs = JSON.stringify(trained.observationSpace) === JSON.stringify(env.observationSpace);
  const sameAct = JSON.stringify(trained.actionSpace) === JSON.stringify(env.actionSpace);
  if (sameObs && sameAct) return;
  const show = (s: AgentSpec): string => `${s.id} ${JSON.stringify(s.options)}: observation ${formatSpace(s.observationSpace)}, action ${formatSpace(s.actionSpace)}`;
  const what = !sameObs && !sameAct ? 'observation and action spaces differ' : !sameObs ? 'observation spaces differ' : 'action spaces differ';
  throw new CheckpointMismatchError(`checkpoint does not fit this environment (${what}): trained on ${show(trained)}; this environment is ${show(env)}`);
}

export interface LoadedAgent {
  agent: Agent;
  plugin: AnyAgentPlugin;
  manifest: CheckpointManifest;
  /** The plugin's resolved options (as saved). */
  options: object;
}

export interface LoadOptions {
  /**
   * The agent as the user named it (`--agent`): a registered name, a module path or a package name. Needed for a
   * checkpoint of a user plugin; for a built-in one it must name the same agent.
   */
  agent?: string;
  /** The plugin itself, already resolved from `agent` (spares a second import). */
  plugin?: AnyAgentPlugin;
  /** Where a relative `agent` path starts (default: the working directory). */
  cwd?: string;
  /** The checkpoint, already read by {@link readCheckpoint} (spares a second read). */
  checkpoint?: ReadCheckpoint;
}

/** The message for a checkpoint of an agent that is not built in, loaded without `--agent`. */
export function userPluginNeeded(file: string, agent: string): string {
  return `${file}: agent "${agent}" is not a built-in agent (${listAgents().join(', ')}); a checkpoint never names code to load, ` +
    `so give the module that defines it again: --agent PATH|PKG`;
}

/**
 * Rebuilds the agent saved in `dir` for `env` (default: the spec it was trained on), after checking the spaces.
 * The plugin comes from the registry (by the saved name) or from `options.agent` / `options.plugin`, never from the file.
 * @throws CheckpointFormatError, CheckpointMismatchError, UnknownAgentError
 */
export async function loadAgent(dir: string, env?: AgentSpec, options: LoadOptions = {}): Promise<LoadedAgent> {
  const read = options.checkpoint ?? (await readCheckpoint(dir));
  const { manifest, snapshot, file } = read;
  if (env) assertCompatible(manifest.spec, env);
  const plugin = await pluginFor(manifest, file, options);
  let resolved: object;
  try {
    resolved = plugin.resolveOptions(manifest.options);
  } catch (err) {
    throw new CheckpointFormatError(`${file}: field "options" does not fit ${plugin.name}: ${messageOf(err)}`);
  }
  const agent = await plugin.create(env ?? manifest.spec, resolved, { seed: manifest.seed });
  try {
    await agent.restore(snapshot);
  } catch (err) {
    agent.dispose?.();
    // The plugin's own check of its state and tensors: whatever it throws, the user gets one line naming the file.
    throw new CheckpointFormatError(`${file}: the saved state does not fit a ${plugin.name} agent: ${messageOf(err)}`);
  }
  return { agent, plugin, manifest, options: resolved };
}

async function pluginFor(manifest: CheckpointManifest, file: string, options: LoadOptions): Promise<AnyAgentPlugin> {
  const given = options.plugin ?? (options.agent !== undefined ? (await resolvePlugin(options.agent, options.cwd)).plugin : undefined);
  if (given) {
    if (given.name !== manifest.agent) {
      throw new CheckpointMismatchError(`${file} holds a ${manifest.agent} agent, but --agent ${options.agent ?? given.name} is ${given.name}`);
    }
    return given;
  }
  const builtin = await builtinPlugin(manifest.agent);
  if (!builtin) throw new UnknownAgentError(userPluginNeeded(file, manifest.agent));
  return builtin;
}

function messageOf(err: unknown): string {
  const text = err instanceof AgentError || err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!;
}

async function checkpointFolder(dir: string): Promise<string> {
  const nested = path.join(dir, 'checkpoint');
  const exists = await fs.stat(path.join(nested, MANIFEST_FILE)).then(() => true, () => false);
  return exists ? nested : dir;
}

function pickSpec(spec: AgentSpec): AgentSpec {
  const { id, options, observationSpace, actionSpace, maxEpisodeSteps } = spec;
  return { id, options, observationSpace, actionSpace, maxEpisodeSteps };
}

function dtypeName(data: SavedTensor['data']): DTypeName {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'float32';
}

function packTensors(tensors: Record<string, SavedTensor>): { bytes: Uint8Array; entries: TensorEntry[] } {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    entries.push({ name, dtype: dtypeName(data), shape, offset, length: data.length });
    offset += Math.ceil(data.byteLength / 8) * 8;
  }
  const bytes = new Uint8Array(offset);
  const view = new DataView(bytes.buffer);
  for (const entry of entries) {
    const data = tensors[entry.name]!.data;
    for (let i = 0; i < data.length; i++) {
      if (entry.dtype === 'float64') view.setFloat64(entry.offset + i * 8, data[i]!, true);
      else if (entry.dtype === 'int32') view.setInt32(entry.offset + i * 4, data[i]!, true);
      else view.setFloat32(entry.offset + i * 4, data[i]!, true);
    }
  }
  return { bytes, entries };
}

function unpackTensors(bytes: Uint8Array, entries: readonly TensorEntry[]): Record<string, SavedTensor> {
  // The layout was checked against the file's size (checkTensorLayout) before this allocates anything.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, SavedTensor> = {};
  for (const e of entries) {
    const data = e.dtype === 'float64' ? new Float64Array(e.length) : e.dtype === 'int32' ? new Int32Array(e.length) : new Float32Array(e.length);
    for (let i = 0; i < e.length; i++) {
      data[i] = e.dtype === 'float64' ? view.getFloat64(e.offset + i * 8, true) : e.dtype === 'int32' ? view.getInt32(e.offset + i * 4, true) : view.getFloat32(e.offset + i * 4, true);
    }
    out[e.name] = { shape: e.shape.slice(), data };
  }
  return out;
}
