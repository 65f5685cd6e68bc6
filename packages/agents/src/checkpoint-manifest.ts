/**
 * Reading a checkpoint is reading data someone may have sent you: checkpoint.json is checked field by field and
 * the binary file's table entry by entry before anything is allocated or restored, and every path it names must
 * stay inside the checkpoint folder. Each problem is one CheckpointFormatError naming the file and the field.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DTYPES } from '@rlfs/protocol';
import type { Space } from '@rlfs/protocol';
import type { AgentSpec } from './env-like';
import { CheckpointFormatError } from './errors';

export const CHECKPOINT_FORMAT = 'rlfs-agent-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'checkpoint.json';
/** Largest checkpoint.json read (bytes); a bigger file is refused before it is read. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

export type DTypeName = 'float32' | 'float64' | 'int32';
export const DTYPE_BYTES: Readonly<Record<DTypeName, number>> = { float32: 4, float64: 8, int32: 4 };

export interface TensorEntry {
  name: string;
  dtype: DTypeName;
  shape: number[];
  /** Byte offset in the binary file: a multiple of 8. */
  offset: number;
  /** Number of elements: the product of `shape`. */
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
  /** The plugin's registered name. Loading finds it in the registry, or takes the plugin the user names with --agent. */
  agent: string;
  options: Record<string, unknown>;
  /** The environment the agent was trained on (spaces are what loading checks). */
  spec: AgentSpec;
  seed: number;
  progress: Progress;
  backend?: string;
  createdAt: string;
  state: Record<string, unknown>;
  /** The binary file, relative to the folder (and inside it). */
  tensorFile: string;
  tensors: TensorEntry[];
}

/** Throws a CheckpointFormatError for `file`, naming what is wrong. */
function bad(file: string, what: string): never {
  throw new CheckpointFormatError(`${file}: ${what}`);
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Parses and checks checkpoint.json's text; `file` is its path, for messages. */
export function parseManifest(text: string, file: string): CheckpointManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    bad(file, `not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) bad(file, `holds ${show(doc)}, not a checkpoint manifest (a JSON object)`);
  const m = doc;
  if (m.format !== CHECKPOINT_FORMAT) bad(file, `not an agent checkpoint (format ${show(m.format)}, expected "${CHECKPOINT_FORMAT}")`);
  if (m.version !== CHECKPOINT_VERSION) bad(file, `checkpoint version ${show(m.version)}, this program reads version ${CHECKPOINT_VERSION}`);
  const field = (name: string, ok: boolean, expected: string): void => {
    if (!ok) bad(file, `field "${name}" must be ${expected}, got ${show(m[name])}`);
  };
  field('agent', typeof m.agent === 'string' && m.agent.length > 0 && m.agent.length <= 200, 'the agent\'s name (a non-empty string)');
  field('options', isObject(m.options), 'an object of agent options');
  field('seed', Number.isSafeInteger(m.seed), 'an integer');
  field('progress', isObject(m.progress), 'an object {steps, episodes}');
  const progress = m.progress as Record<string, unknown>;
  if (!count(progress.steps)) bad(file, `field "progress.steps" must be a non-negative integer, got ${show(progress.steps)}`);
  if (!count(progress.episodes)) bad(file, `field "progress.episodes" must be a non-negative integer, got ${show(progress.episodes)}`);
  field('backend', m.backend === undefined || typeof m.backend === 'string', 'a string when present');
  field('createdAt', typeof m.createdAt === 'string', 'an ISO time string');
  field('state', isObject(m.state), 'an object (the agent\'s JSON state)');
  field('tensorFile', typeof m.tensorFile === 'string' && m.tensorFile.length > 0, 'the name of the binary file');
  field('tensors', Array.isArray(m.tensors), 'a list of tensor entries');
  checkSpec(m.spec, file);
  checkTensors(m.tensors as unknown[], file);
  return m as unknown as CheckpointManifest;
}

function checkSpec(spec: unknown, file: string): void {
  if (!isObject(spec)) bad(file, `field "spec" must be an object {id, options, observationSpace, actionSpace, maxEpisodeSteps}, got ${show(spec)}`);
  if (typeof spec.id !== 'string' || !spec.id) bad(file, `field "spec.id" must be an environment id, got ${show(spec.id)}`);
  if (!isObject(spec.options)) bad(file, `field "spec.options" must be an object, got ${show(spec.options)}`);
  if (!count(spec.maxEpisodeSteps)) bad(file, `field "spec.maxEpisodeSteps" must be a non-negative integer, got ${show(spec.maxEpisodeSteps)}`);
  checkSpace(spec.observationSpace, 'spec.observationSpace', file);
  checkSpace(spec.actionSpace, 'spec.actionSpace', file);
}

function checkSpace(space: unknown, name: string, file: string): asserts space is Space {
  const wrong = (what: string): never => bad(file, `field "${name}" ${what}, got ${show(space)}`);
  if (!isObject(space)) return wrong('must be a space object');
  if (space.type === 'Discrete') {
    if (!Number.isSafeInteger(space.n) || (space.n as number) < 1) wrong('must have a positive integer n');
    return;
  }
  if (space.type !== 'Box') return wrong('must be a Discrete or Box space');
  const shape = space.shape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.length > 8 || !shape.every(count)) wrong('must have a shape of 1 to 8 non-negative integers');
  if (!(DTYPES as readonly unknown[]).includes(space.dtype)) wrong(`must have a dtype (${DTYPES.join(', ')})`);
  // Bounds are numbers, or one number per element (null stands for an infinite bound: JSON has no Infinity).
  const bound = (v: unknown): boolean => v === null || typeof v === 'number' || (Array.isArray(v) && v.every((x) => x === null || typeof x === 'number'));
  if (!bound(space.low) || !bound(space.high)) wrong('must have numeric low and high bounds');
}

function checkTensors(entries: unknown[], file: string): void {
  const names = new Set<string>();
  entries.forEach((e, i) => {
    const at = `tensors[${i}]`;
    if (!isObject(e)) bad(file, `${at} must be an object {name, dtype, shape, offset, length}, got ${show(e)}`);
    if (typeof e.name !== 'string' || !e.name) bad(file, `${at}.name must be a non-empty string, got ${show(e.name)}`);
    if (names.has(e.name)) bad(file, `${at}: tensor name "${e.name}" appears twice`);
    names.add(e.name);
    if (typeof e.dtype !== 'string' || !(e.dtype in DTYPE_BYTES)) bad(file, `${at} (${e.name}): dtype must be float32, float64 or int32, got ${show(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every(count)) bad(file, `${at} (${e.name}): shape must be a list of non-negative integers, got ${show(e.shape)}`);
    if (!count(e.offset) || e.offset % 8 !== 0) bad(file, `${at} (${e.name}): offset must be a non-negative multiple of 8, got ${show(e.offset)}`);
    if (!count(e.length)) bad(file, `${at} (${e.name}): length must be a non-negative integer, got ${show(e.length)}`);
    const elements = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (elements !== e.length) bad(file, `${at} (${e.name}): length ${e.length} is not the product of shape [${(e.shape as number[]).join(', ')}] (${elements})`);
  });
}

/**
 * Checks the table against the binary file's size: every tensor inside it, no two overlapping. Done before any
 * array is allocated, so a huge `length` costs nothing.
 */
export function checkTensorLayout(entries: readonly TensorEntry[], byteLength: number, binName: string, manifestFile: string): void {
  const spans = entries.map((e) => ({ name: e.name, start: e.offset, end: e.offset + e.length * DTYPE_BYTES[e.dtype] }));
  for (const s of spans) {
    if (s.end > byteLength) {
      throw new CheckpointFormatError(`${manifestFile}: tensor ${s.name} needs bytes ${s.start}..${s.end} but ${binName} has ${byteLength} bytes (truncated?)`);
    }
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const a = spans[i - 1]!;
    const b = spans[i]!;
    if (b.start < a.end) throw new CheckpointFormatError(`${manifestFile}: tensors ${a.name} (bytes ${a.start}..${a.end}) and ${b.name} (bytes ${b.start}..${b.end}) overlap`);
  }
}

/**
 * The absolute path of `name` (a field of checkpoint.json) inside `folder`, refusing absolute paths, `..` and
 * symbolic links that lead out of it.
 */
export async function confinedPath(folder: string, name: string, field: string, manifestFile: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new CheckpointFormatError(`${manifestFile}: field "${field}" (${show(name)}) ${why}; a checkpoint may only name files inside its own folder`);
  };
  if (path.isAbsolute(name) || /^[a-zA-Z]:/.test(name)) refuse('is an absolute path');
  const target = path.resolve(folder, name);
  const inside = (root: string, p: string): boolean => {
    const rel = path.relative(root, p);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  };
  if (!inside(folder, target)) refuse('points outside the checkpoint folder');
  let real: string;
  try {
    real = await fs.realpath(target);
  } catch {
    throw new CheckpointFormatError(`${manifestFile}: missing ${name} (field "${field}")`);
  }
  if (!inside(await fs.realpath(folder), real)) refuse(`is a link to ${real}, outside the checkpoint folder`);
  const stat = await fs.stat(real);
  if (!stat.isFile()) refuse('is not a regular file');
  return real;
}
