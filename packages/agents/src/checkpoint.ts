/**
 * Checkpoints: a folder with `checkpoint.json` (the manifest: format, version, agent, options, the spec trained on,
 * progress, the agent's JSON state, and a table of arrays) and one binary file of those arrays, little-endian,
 * each starting at a multiple of 8 bytes. Plain files written with node:fs, so every backend reads and writes them
 * (TFJS's file:// handler exists only in tfjs-node). Documented in docs/agents.md.
 *
 * Writes are crash-safe: the binary file gets a new name each time, the manifest is written to a temporary file
 * and renamed over the old one (atomic), and only then are older binaries removed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AgentSpec } from './env-like';
import { formatSpace } from './env-like';
import type { Agent, AgentSnapshot, AnyAgentPlugin, SavedTensor } from './plugin';
import { CheckpointFormatError, CheckpointMismatchError } from './errors';
import { resolvePlugin } from './registry';

export const CHECKPOINT_FORMAT = 'rlfs-agent-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'checkpoint.json';

type DTypeName = 'float32' | 'float64' | 'int32';

export interface TensorEntry {
  name: string;
  dtype: DTypeName;
  shape: number[];
  /** Byte offset in the binary file. */
  offset: number;
  /** Number of elements. */
  length: number;
}

export interface Progress {
  /** Environment steps trained, all sub-envs together. */
  steps: number;
  /** Episodes ended during training. */
  episodes: number;
}

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** The plugin's registered name. */
  agent: string;
  /** For a user plugin: the absolute path of its module, so `eval --load` finds it again. */
  agentModule?: string;
  options: Record<string, unknown>;
  /** The environment the agent was trained on (spaces are what loading checks). */
  spec: AgentSpec;
  seed: number;
  progress: Progress;
  backend?: string;
  createdAt: string;
  state: Record<string, unknown>;
  /** The binary file, relative to the folder. */
  tensorFile: string;
  tensors: TensorEntry[];
}

export interface SaveInfo {
  plugin: AnyAgentPlugin;
  agentModule?: string;
  options: object;
  spec: AgentSpec;
  seed: number;
  progress: Progress;
  backend?: string;
}

/** Writes `agent`'s snapshot and `info` into the folder `dir` (created if missing). */
export async function saveCheckpoint(dir: string, agent: Agent, info: SaveInfo): Promise<CheckpointManifest> {
  const snapshot = await agent.snapshot();
  await fs.mkdir(dir, { recursive: true });
  const { bytes, entries } = packTensors(snapshot.tensors);
  const tensorFile = `tensors-${Date.now()}-${process.pid}.bin`;
  await fs.writeFile(path.join(dir, tensorFile), bytes);
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    agent: info.plugin.name,
    ...(info.agentModule ? { agentModule: info.agentModule } : {}),
    options: { ...info.options },
    spec: pickSpec(info.spec),
    seed: info.seed,
    progress: info.progress,
    ...(info.backend ? { backend: info.backend } : {}),
    createdAt: new Date().toISOString(),
    state: snapshot.state,
    tensorFile,
    tensors: entries,
  };
  const tmp = path.join(dir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(manifest, null, 1));
  await fs.rename(tmp, path.join(dir, MANIFEST_FILE));
  for (const name of await fs.readdir(dir)) {
    if (/^tensors-.*\.bin$/.test(name) && name !== tensorFile) await fs.rm(path.join(dir, name), { force: true });
  }
  return manifest;
}

/** Reads and checks a checkpoint folder (or a run folder holding `checkpoint/`). */
export async function readCheckpoint(dir: string): Promise<{ manifest: CheckpointManifest; snapshot: AgentSnapshot; dir: string }> {
  const folder = await checkpointFolder(dir);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(folder, MANIFEST_FILE), 'utf8')) as CheckpointManifest;
  } catch (err) {
    throw new CheckpointFormatError(`${folder}: cannot read ${MANIFEST_FILE}: ${(err as Error).message}`);
  }
  if (manifest.format !== CHECKPOINT_FORMAT) throw new CheckpointFormatError(`${folder}: not an agent checkpoint (format ${String(manifest.format)})`);
  if (manifest.version !== CHECKPOINT_VERSION) {
    throw new CheckpointFormatError(`${folder}: checkpoint version ${manifest.version}, this program reads version ${CHECKPOINT_VERSION}`);
  }
  const bytes = await fs.readFile(path.join(folder, manifest.tensorFile)).catch(() => {
    throw new CheckpointFormatError(`${folder}: missing ${manifest.tensorFile}`);
  });
  return { manifest, snapshot: { state: manifest.state, tensors: unpackTensors(bytes, manifest.tensors, folder) }, dir: folder };
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

/**
 * Rebuilds the agent saved in `dir` for `env` (default: the spec it was trained on), after checking the spaces.
 * @throws CheckpointFormatError, CheckpointMismatchError
 */
export async function loadAgent(dir: string, env?: AgentSpec): Promise<LoadedAgent> {
  const { manifest, snapshot } = await readCheckpoint(dir);
  if (env) assertCompatible(manifest.spec, env);
  const { plugin } = await resolvePlugin(manifest.agentModule ?? manifest.agent);
  const options = plugin.resolveOptions(manifest.options);
  const agent = await plugin.create(env ?? manifest.spec, options, { seed: manifest.seed });
  await agent.restore(snapshot);
  return { agent, plugin, manifest, options };
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

function unpackTensors(bytes: Uint8Array, entries: readonly TensorEntry[], folder: string): Record<string, SavedTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, SavedTensor> = {};
  for (const e of entries) {
    const size = e.dtype === 'float64' ? 8 : 4;
    if (e.offset + e.length * size > bytes.byteLength) throw new CheckpointFormatError(`${folder}: tensor ${e.name} runs past the end of ${bytes.byteLength} bytes`);
    const data = e.dtype === 'float64' ? new Float64Array(e.length) : e.dtype === 'int32' ? new Int32Array(e.length) : new Float32Array(e.length);
    for (let i = 0; i < e.length; i++) {
      data[i] = e.dtype === 'float64' ? view.getFloat64(e.offset + i * 8, true) : e.dtype === 'int32' ? view.getInt32(e.offset + i * 4, true) : view.getFloat32(e.offset + i * 4, true);
    }
    out[e.name] = { shape: e.shape, data };
  }
  return out;
}
