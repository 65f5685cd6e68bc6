/**
 * `npm run record -- --load runs/NAME [--episodes K] [--seed S] [--fps F] --out FILE.gif`: plays a saved agent
 * greedily on its environment, in this process, and writes an animated GIF of the episodes, each frame drawn by the
 * viewer's own board code (GridWorld's board, or the environment's draw list) under the viewer's HUD, rasterized
 * in software (no canvas, no native code) and encoded by gifenc.
 */
import * as path from 'node:path';
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { makeEnv } from '@rlfs/envs';
import { loadEnvModules } from '@rlfs/envs/node';
import { writeFileDurable } from '@rlfs/agents';
import type { Agent } from '@rlfs/agents';
import { encodeGif, HUD_HEIGHT, isDrawList, isGridState, playCommands, rasterize, Trail } from '@rlfs/viewer/pictures';
import type { PlayView, Raster } from '@rlfs/viewer/pictures';
import { greedyAction, readSavedRun, SAVED_AGENT_FLAGS } from './saved-agent';

/** What is recorded, and the named limits of a recording. */
export const RECORD_DEFAULTS = {
  fps: 8,
  width: 320,
  /** Seconds the last frame of each episode stays, so the ending can be seen before the next episode starts. */
  hold: 0.75,
  /** Frames in one GIF at most (every frame is a full picture: memory and file size grow with it). */
  maxFrames: 3000,
} as const;

const RECORD_FLAGS = defineFlags({
  ...SAVED_AGENT_FLAGS,
  out: { type: 'string', required: true, placeholder: 'FILE.gif', doc: 'the GIF to write (written durably: a temporary file, then a rename)' },
  fps: { type: 'number', default: RECORD_DEFAULTS.fps, min: 1, max: 50, placeholder: 'F', doc: 'frames (agent steps) per second' },
  width: { type: 'int', default: RECORD_DEFAULTS.width, min: 64, max: 1024, placeholder: 'PX', doc: 'picture width in pixels (the height follows the picture)' },
  hold: { type: 'number', default: RECORD_DEFAULTS.hold, min: 0, max: 10, placeholder: 'SECONDS', doc: 'how long the last frame of each episode stays' },
  'max-frames': { type: 'int', default: RECORD_DEFAULTS.maxFrames, min: 1, max: 100_000, placeholder: 'N', doc: 'refuse to record more frames than this (steps plus held frames)' },
});

const RECORD_COMMAND = defineCommand({
  name: 'npm run record',
  usage: '--load runs/NAME --out FILE.gif [options]',
  description: 'Writes an animated GIF of a saved agent playing greedily, drawn as the viewer draws it.',
  flags: RECORD_FLAGS,
});

async function main(argv: readonly string[]): Promise<number> {
  const flags = RECORD_COMMAND.parse(argv);
  if (!flags.out.toLowerCase().endsWith('.gif')) throw new UsageError(`--out: expected a file name ending in .gif, got ${flags.out}`);
  await loadEnvModules(flags['env-module'] ?? []);
  const saved = await readSavedRun(flags);
  const env = makeEnv(saved.envId, saved.envOptions);
  try {
    const agent = await saved.load(env.spec);
    const views = await playEpisodes(env, agent, flags);
    agent.dispose?.();
    const width = flags.width;
    const height = HUD_HEIGHT + Math.round(pictureAspect(views[0]!) * width);
    const box = { x: 0, y: 0, w: width, h: height };
    // A held frame is the same object as the frame before it: drawn once.
    let last: { view: PlayView; raster: Raster } | undefined;
    const frame = (i: number): Raster => {
      const view = views[i]!;
      if (last?.view !== view) last = { view, raster: rasterize(playCommands(view, box), { width, height }) };
      return last.raster;
    };
    const bytes = encodeGif({ count: views.length, frame }, { delayMs: 1000 / flags.fps });
    const out = path.resolve(flags.out);
    await writeFileDurable(out, bytes);
    const steps = views.filter((v, i) => v !== views[i - 1]).length;
    process.stdout.write(`recorded ${flags.episodes} episode(s) of ${saved.manifest.agent} (trained ${saved.manifest.progress.steps} steps) on ${saved.envId} ${JSON.stringify(env.spec.options)}: ${steps} frames + ${views.length - steps} held, ${width}x${height}, ${(bytes.length / 1024).toFixed(0)} KiB\nwritten: ${out}\n`);
    return 0;
  } finally {
    env.close();
  }
}

type Env = ReturnType<typeof makeEnv>;

/** Plays the episodes and keeps what each frame shows (small data; the pixels are drawn one frame at a time later). */
async function playEpisodes(env: Env, agent: Agent, flags: { episodes: number; seed: number; fps: number; hold: number; 'max-frames': number }): Promise<PlayView[]> {
  const frames: PlayView[] = [];
  const boundary = env.spec.options.boundary === 'wrap' ? 'wrap' : 'walls';
  const trail = new Trail();
  const holdFrames = Math.round(flags.hold * flags.fps);
  const add = (frame: PlayView): void => {
    if (frames.length >= flags['max-frames']) throw new UsageError(`the recording passes --max-frames ${flags['max-frames']} (episode ${frame.episodes + 1}); record fewer --episodes or raise --max-frames`);
    frames.push(frame);
  };
  const view = (k: number, step: number, lastReward: number | null, returnSoFar: number): PlayView => {
    const state = env.render('state');
    const base = { env: env.spec.id, episodes: k, step, lastReward, returnSoFar };
    if (isGridState(state)) {
      trail.push(state.agent);
      return { ...base, grid: { state, boundary, trail: trail.cells() } };
    }
    const draw = env.draw?.();
    return isDrawList(draw) ? { ...base, draw } : base;
  };
  for (let k = 0; k < flags.episodes; k++) {
    trail.clear();
    let { observation } = env.reset(k === 0 ? { seed: flags.seed } : {});
    let ret = 0;
    add(view(k, 0, null, 0));
    for (let step = 1; ; step++) {
      const r = env.step(await greedyAction(agent, observation));
      ret += r.reward;
      const frame = view(k, step, r.reward, ret);
      add(frame);
      if (r.terminated || r.truncated) {
        for (let h = 0; h < holdFrames; h++) add(frame);
        break;
      }
      observation = r.observation;
    }
  }
  return frames;
}

/** Height over width of the picture under the HUD: square for GridWorld, the viewport's for a draw list. */
function pictureAspect(view: PlayView): number {
  if (view.draw) return Math.min(2, Math.max(0.25, view.draw.viewport.height / view.draw.viewport.width));
  return 1;
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)), { command: RECORD_COMMAND });
