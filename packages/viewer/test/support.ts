/**
 * Test support: a real server serving dist/, a scripted agent that steps and sends telemetry through the
 * protocol client, the browser (see ./chromium.ts: Debian's, CHROMIUM_PATH or the packaged one) and the screenshot folder.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { connect } from '@rlfs/protocol/node';
import { RemoteVectorEnv } from '@rlfs/protocol';
import type { Cell, StepInfo } from '@rlfs/protocol';
import { buildViewer, DIST, viewerBuildIsStale } from '../build';

export const SCREENSHOTS = resolve(__dirname, '../../../test-results/screenshots');

export async function ensureBuilt(): Promise<void> {
  if (viewerBuildIsStale()) await buildViewer({ quiet: true });
}

export async function startViewerServer(options: { token?: string; port?: number } = {}): Promise<RunningServer> {
  await ensureBuilt();
  return startServer({ port: 0, staticDir: DIST, warn: () => undefined, ...options });
}

export { launchChromium } from './chromium';

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}

export interface ScriptedAgent {
  episodes: number;
  steps: number;
  stop(): Promise<void>;
}

/**
 * An agent that walks toward the goal (with some random moves, so that episodes differ), pausing `delayMs`
 * between steps, and sends telemetry (`train/epsilon`, `train/loss`) after every episode.
 */
export async function startScriptedAgent(url: string, options: { name?: string; size?: number; delayMs?: number; token?: string; boundary?: 'walls' | 'wrap' } = {}): Promise<ScriptedAgent> {
  const client = await connect(url, { role: 'agent', name: options.name ?? 'scripted', token: options.token });
  await client.make({ env: 'GridWorld-v0', options: { size: options.size ?? 6, boundary: options.boundary ?? 'walls', observation: 'coords', maxEpisodeSteps: 40 }, seed: 7 });
  let info = (await client.reset({ seed: 7 })).info as StepInfo;
  const agent: ScriptedAgent = { episodes: 0, steps: 0, stop: async () => undefined };
  let running = true;
  let rng = 12345;
  const random = (): number => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const loop = (async () => {
    while (running) {
      const epsilon = Math.max(0.05, 0.6 * 0.9 ** agent.episodes);
      const action = random() < epsilon ? Math.floor(random() * 4) : towards(info.agent!, info.goal!);
      const result = await client.step(action).catch(() => undefined);
      if (!result) break;
      agent.steps++;
      info = result.info as StepInfo;
      if (result.terminated || result.truncated) {
        agent.episodes++;
        client.telemetry({ 'train/epsilon': epsilon, 'train/loss': 1 / (1 + agent.episodes) + random() * 0.05 });
        info = (await client.reset()).info as StepInfo;
      }
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    }
  })();
  agent.stop = async () => {
    running = false;
    await loop;
    await client.close();
  };
  return agent;
}

function towards([r, c]: Cell, [gr, gc]: Cell): number {
  if (gr < r) return 0;
  if (gr > r) return 1;
  if (gc < c) return 2;
  return 3;
}

export interface VectorAgent {
  session: string;
  /** Env-steps so far (vector steps times numEnvs). */
  envSteps: number;
  /** Stops stepping until `resume()`; resolves once no step is in flight. */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

/** A vector session of GridWorld-v0 (random goal per sub-env) stepped with random actions, as fast as it can unless `delayMs`. */
export async function startVectorAgent(url: string, options: { name: string; numEnvs: number; encoding: 'plain' | 'packed'; delayMs?: number; seed?: number }): Promise<VectorAgent> {
  const client = await connect(url, { role: 'agent', name: options.name });
  const env = await RemoteVectorEnv.make(client, { env: 'GridWorld-v0', options: { size: 6, observation: 'coords', maxEpisodeSteps: 60 }, numEnvs: options.numEnvs, seed: options.seed ?? 3, encoding: options.encoding });
  await env.reset({ seed: options.seed ?? 3 });
  let running = true;
  let paused = false;
  let idle: (() => void) | undefined;
  let rng = 987;
  const actions = new Int32Array(options.numEnvs);
  const agent: VectorAgent = {
    session: env.session,
    envSteps: 0,
    pause: () => new Promise<void>((r) => ((paused = true), (idle = r))),
    resume: () => void (paused = false),
    stop: async () => undefined,
  };
  const loop = (async () => {
    while (running) {
      if (paused) {
        idle?.();
        idle = undefined;
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      for (let i = 0; i < actions.length; i++) actions[i] = (rng = (rng * 1103515245 + 12345) % 2 ** 31) % 4;
      const ok = await env.step(actions).then(() => true, () => false);
      if (!ok) break;
      agent.envSteps += options.numEnvs;
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    }
    idle?.();
  })();
  agent.stop = async () => {
    running = false;
    await loop;
    await client.close();
  };
  return agent;
}
