import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeEnv } from '@rlfs/envs';
import { loadAgent, readCheckpoint, saveCheckpoint } from '../src/checkpoint';
import { resolvePlugin } from '../src/registry';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { CheckpointFormatError, CheckpointMismatchError } from '../src/errors';

let root: string;
let dir: string;
let file: string;
let pristine: Record<string, unknown>;
const spec = makeEnv('GridWorld-v0', {}).spec;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'rlfs-corrupt-'));
  dir = path.join(root, 'checkpoint');
  const { plugin } = await resolvePlugin('tabular-q');
  const options = plugin.resolveOptions({});
  const agent = await plugin.create(spec, options, { seed: 1 });
  await train({ agent, source: inProcessSource({ env: 'GridWorld-v0' }), steps: 300, seed: 1 });
  await saveCheckpoint(dir, agent, { plugin, options, spec, seed: 1, progress: { steps: 300, episodes: 4 } });
  file = path.join(dir, 'checkpoint.json');
  pristine = JSON.parse(readFileSync(file, 'utf8'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => writeFileSync(file, JSON.stringify(pristine)));

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const copy = (): Doc => JSON.parse(JSON.stringify(pristine));
const edit = (change: (m: Doc) => void): string => {
  const m = copy();
  change(m);
  return JSON.stringify(m);
};

/** Loads the corrupted checkpoint and returns the one-line message it is refused with. */
async function refusal(text: string): Promise<string> {
  writeFileSync(file, text);
  const err = await loadAgent(dir, spec).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CheckpointFormatError);
  const message = (err as Error).message;
  expect(message.startsWith(file)).toBe(true);
  expect(message).not.toContain('\n');
  return message.slice(file.length);
}

describe('a corrupt checkpoint.json gets one clear line naming the file and the field', () => {
  it.each<[string, () => string, RegExp]>([
    ['a null document', () => 'null', /^: holds null, not a checkpoint manifest \(a JSON object\)$/],
    ['a list', () => '[1,2]', /holds \[1,2\], not a checkpoint manifest/],
    ['a number', () => '42', /holds 42, not a checkpoint manifest/],
    ['an empty file', () => '', /^: not valid JSON \(/],
    ['cut JSON', () => JSON.stringify(pristine).slice(0, 50), /^: not valid JSON \(/],
    ['no format', () => edit((m) => delete m.format), /not an agent checkpoint \(format nothing, expected "rlfs-agent-checkpoint"\)/],
    ['version as a string', () => edit((m) => (m.version = '1')), /checkpoint version "1", this program reads version 1/],
    ['no agent', () => edit((m) => delete m.agent), /field "agent" must be the agent's name \(a non-empty string\), got nothing/],
    ['a numeric agent', () => edit((m) => (m.agent = 5)), /field "agent" must be .* got 5/],
    ['options as a string', () => edit((m) => (m.options = 'fast')), /field "options" must be an object of agent options, got "fast"/],
    ['options the agent refuses', () => edit((m) => (m.options = { ...m.options, learningRate: 'x' })), /field "options" does not fit tabular-q: .*learningRate/],
    ['a fractional seed', () => edit((m) => (m.seed = 1.5)), /field "seed" must be an integer, got 1.5/],
    ['no progress', () => edit((m) => delete m.progress), /field "progress" must be an object \{steps, episodes\}, got nothing/],
    ['negative progress.steps', () => edit((m) => (m.progress.steps = -1)), /field "progress.steps" must be a non-negative integer, got -1/],
    ['progress.episodes as text', () => edit((m) => (m.progress.episodes = 'four')), /field "progress.episodes" must be a non-negative integer, got "four"/],
    ['a numeric backend', () => edit((m) => (m.backend = 3)), /field "backend" must be a string when present, got 3/],
    ['no createdAt', () => edit((m) => delete m.createdAt), /field "createdAt" must be an ISO time string/],
    ['a null state', () => edit((m) => (m.state = null)), /field "state" must be an object \(the agent's JSON state\), got null/],
    ['a state the agent refuses', () => edit((m) => (m.state = {})), /the saved state does not fit a tabular-q agent: tabular-q snapshot: no keys/],
    ['no tensorFile', () => edit((m) => delete m.tensorFile), /field "tensorFile" must be the name of the binary file, got nothing/],
    ['tensors as an object', () => edit((m) => (m.tensors = {})), /field "tensors" must be a list of tensor entries, got \{\}/],
    ['no spec', () => edit((m) => delete m.spec), /field "spec" must be an object/],
    ['an empty spec.id', () => edit((m) => (m.spec.id = '')), /field "spec.id" must be an environment id, got ""/],
    ['spec.options as a list', () => edit((m) => (m.spec.options = [])), /field "spec.options" must be an object, got \[\]/],
    ['a negative spec.maxEpisodeSteps', () => edit((m) => (m.spec.maxEpisodeSteps = -3)), /field "spec.maxEpisodeSteps" must be a non-negative integer, got -3/],
    ['an observation space with no shape', () => edit((m) => delete m.spec.observationSpace.shape), /field "spec.observationSpace" must have a shape of 1 to 8 non-negative integers/],
    ['an observation space of unknown dtype', () => edit((m) => (m.spec.observationSpace.dtype = 'int128')), /field "spec.observationSpace" must have a dtype/],
    ['an action space of 0 actions', () => edit((m) => (m.spec.actionSpace.n = 0)), /field "spec.actionSpace" must have a positive integer n, got \{"type":"Discrete","n":0\}/],
    ['an unknown space type', () => edit((m) => (m.spec.actionSpace = { type: 'Tuple' })), /field "spec.actionSpace" must be a Discrete or Box space/],
    ['a null tensor entry', () => edit((m) => (m.tensors[0] = null)), /tensors\[0\] must be an object \{name, dtype, shape, offset, length\}, got null/],
    ['an unnamed tensor', () => edit((m) => (m.tensors[0].name = '')), /tensors\[0\].name must be a non-empty string/],
    ['a tensor listed twice', () => edit((m) => m.tensors.push({ ...m.tensors[0] })), /tensors\[1\]: tensor name "q" appears twice/],
    ['an unknown dtype', () => edit((m) => (m.tensors[0].dtype = 'float16')), /tensors\[0\] \(q\): dtype must be float32, float64 or int32, got "float16"/],
    ['a negative dimension', () => edit((m) => (m.tensors[0].shape = [-1, 4])), /tensors\[0\] \(q\): shape must be a list of non-negative integers, got \[-1,4\]/],
    ['a negative offset', () => edit((m) => (m.tensors[0].offset = -8)), /tensors\[0\] \(q\): offset must be a non-negative multiple of 8, got -8/],
    ['an unaligned offset', () => edit((m) => (m.tensors[0].offset = 4)), /offset must be a non-negative multiple of 8, got 4/],
    ['a huge offset', () => edit((m) => (m.tensors[0].offset = 1e300)), /offset must be a non-negative multiple of 8, got 1e\+300/],
    ['a negative length', () => edit((m) => (m.tensors[0].length = -1)), /tensors\[0\] \(q\): length must be a non-negative integer, got -1/],
    ['a length that is not the shape\'s', () => edit((m) => (m.tensors[0].length += 4)), /tensors\[0\] \(q\): length \d+ is not the product of shape \[\d+, 4\]/],
    ['a huge length', () => edit((m) => {
      m.tensors[0].shape = [2 ** 26, 2 ** 26];
      m.tensors[0].length = 2 ** 52;
    }), /tensor q needs bytes 0\.\.\d{17} but tensors-\d+-\d+\.bin has \d+ bytes \(truncated\?\)/],
    ['an offset past the end', () => edit((m) => (m.tensors[0].offset = 8 * 2 ** 40)), /tensor q needs bytes 8796093022208\.\.\d+ but tensors-\d+-\d+\.bin has \d+ bytes/],
    ['overlapping tensors', () => edit((m) => m.tensors.push({ ...m.tensors[0], name: 'q2', offset: 8, shape: [1], length: 1 })), /tensors q \(bytes 0\.\.\d+\) and q2 \(bytes 8\.\.16\) overlap/],
  ])('%s', async (_what, corrupt, expected) => {
    expect(await refusal(corrupt())).toMatch(expected);
  });

  it('names the binary file when it is truncated', async () => {
    const bin = path.join(dir, pristine.tensorFile as string);
    const bytes = readFileSync(bin);
    try {
      truncateSync(bin, bytes.length - 16);
      await expect(readCheckpoint(dir)).rejects.toThrow(
        new RegExp(`^${escape(file)}: tensor q needs bytes 0\\.\\.${bytes.length} but ${escape(path.basename(bin))} has ${bytes.length - 16} bytes \\(truncated\\?\\)$`),
      );
    } finally {
      writeFileSync(bin, bytes);
    }
  });

  it('refuses a spec whose spaces differ from the environment\'s (CheckpointMismatchError)', async () => {
    writeFileSync(file, edit((m) => (m.spec.actionSpace.n = 5)));
    await expect(loadAgent(dir, spec)).rejects.toThrow(CheckpointMismatchError);
    await expect(loadAgent(dir, spec)).rejects.toThrow(/action spaces differ\): trained on .*Discrete\(5\).*this environment is .*Discrete\(4\)/);
  });
});

describe('paths in a checkpoint stay inside its folder', () => {
  it.each<[string, (m: Doc) => void, RegExp]>([
    ['../../etc/hostname', (m) => (m.tensorFile = '../../etc/hostname'), /field "tensorFile" \("\.\.\/\.\.\/etc\/hostname"\) points outside the checkpoint folder; a checkpoint may only name files inside its own folder/],
    ['an absolute path', (m) => (m.tensorFile = '/etc/hostname'), /field "tensorFile" \("\/etc\/hostname"\) is an absolute path/],
    ['the folder itself', (m) => (m.tensorFile = '.'), /points outside the checkpoint folder/],
    ['a missing file', (m) => (m.tensorFile = 'gone.bin'), /missing gone.bin \(field "tensorFile"\)/],
  ])('refuses %s', async (_what, change, expected) => {
    expect(await refusal(edit(change))).toMatch(expected);
  });

  it('refuses a symbolic link that leads out, and a folder', async () => {
    const outside = path.join(root, 'secret.bin');
    writeFileSync(outside, Buffer.alloc(4096));
    symlinkSync(outside, path.join(dir, 'link.bin'));
    mkdirSync(path.join(dir, 'sub.bin'));
    try {
      expect(await refusal(edit((m) => (m.tensorFile = 'link.bin')))).toMatch(new RegExp(`field "tensorFile" \\("link.bin"\\) is a link to ${escape(outside)}, outside the checkpoint folder`));
      expect(await refusal(edit((m) => (m.tensorFile = 'sub.bin')))).toMatch(/field "tensorFile" \("sub.bin"\) is not a regular file/);
    } finally {
      rmSync(path.join(dir, 'link.bin'));
      rmSync(path.join(dir, 'sub.bin'), { recursive: true });
    }
  });

  it('accepts a file inside the folder whose name merely starts with two dots', async () => {
    const bin = path.join(dir, pristine.tensorFile as string);
    const odd = path.join(dir, '..odd.bin');
    writeFileSync(odd, readFileSync(bin));
    try {
      writeFileSync(file, edit((m) => (m.tensorFile = '..odd.bin')));
      expect((await loadAgent(dir, spec)).manifest.tensorFile).toBe('..odd.bin');
    } finally {
      rmSync(odd);
    }
  });

  it('still loads the untouched checkpoint', async () => {
    const loaded = await loadAgent(dir, spec);
    expect(loaded.manifest.progress).toEqual({ steps: 300, episodes: 4 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
