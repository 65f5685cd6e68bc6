/**
 * The demo agent of `npm start`: `npm run train` as a child process on the server, learning for as long as the
 * server runs, in a run folder that outlives it (runs/demo by default): the next `npm start` resumes from its
 * checkpoint. When a training budget ends it resumes again; when it fails it restarts with backoff, and gives up
 * (saying so) if it keeps failing at once.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

const TRAIN = join(ROOT, 'packages/agents/src/cli/train.ts');

/** Env steps between the demo's greedy evaluations (20 episodes each: a few percent of its time). */
export const DEMO_EVAL_EVERY = 2000;

/** What a demo run folder holds, read from its checkpoint's manifest (the agents package's checkpoint.json). */
export interface DemoCheckpoint {
  agent: string;
  envId: string;
  envOptions: Record<string, unknown>;
  steps: number;
  episodes: number;
}

/** The checkpoint in `runDir`, undefined when there is none; throws, naming the file, when it cannot be read. */
export function readDemoCheckpoint(runDir: string): DemoCheckpoint | undefined {
  const file = join(runDir, 'checkpoint', 'checkpoint.json');
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { agent: unknown; spec: { id: unknown; options: unknown }; progress: { steps: unknown; episodes: unknown } };
    const { agent, spec, progress } = m;
    if (typeof agent !== 'string' || typeof spec.id !== 'string' || typeof progress.steps !== 'number' || typeof progress.episodes !== 'number') throw new Error('fields missing');
    return { agent, envId: spec.id, envOptions: (spec.options ?? {}) as Record<string, unknown>, steps: progress.steps, episodes: progress.episodes };
  } catch (err) {
    throw new Error(`${file} cannot be read (${(err as Error).message})`);
  }
}

export interface DemoAgentOptions {
  url: string;
  token?: string;
  name: string;
  agent: string;
  /** GridWorld options as JSON (ignored when resuming: the checkpoint's are kept). */
  envOptions: string;
  /** The run folder (kept: episodes.csv, curve.svg, checkpoint/); resumed from when it holds a checkpoint. */
  runDir: string;
  /** Steps per training run before it checkpoints and resumes. */
  stepsPerRun: number;
  log(line: string): void;
}

export class DemoAgent {
  private child: ChildProcess | undefined;
  private stopping = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: DemoAgentOptions) {}

  /** False when the agents package is not there (the viewer still runs). */
  static available(): boolean {
    return existsSync(TRAIN);
  }

  start(): void {
    const o = this.options;
    let resumed: DemoCheckpoint | undefined;
    try {
      resumed = readDemoCheckpoint(o.runDir);
    } catch (err) {
      o.log(`${(err as Error).message}; the demo agent does not start. npm start -- --fresh starts it over.`);
      return;
    }
    // train's --steps is a total: a resumed run goes on for stepsPerRun more.
    const steps = (resumed?.steps ?? 0) + o.stepsPerRun;
    const args = [TRAIN, '--agent', o.agent, '--url', o.url, '--name', o.name, '--steps', String(steps), '--out', o.runDir, '--quiet'];
    // Greedy evaluations, so that the viewer shows eval/success beside the training curve, and best/ is kept.
    args.push('--eval-every', String(DEMO_EVAL_EVERY));
    if (resumed) args.push('--resume', o.runDir);
    else args.push('--options', o.envOptions);
    const env = { ...process.env, ...(o.token ? { RLFS_TOKEN: o.token } : {}) };
    const started = Date.now();
    // Its own process group: Ctrl-C reaches us, and we stop the agent ourselves, in order. `node --import tsx` rather
    // than the tsx binary: with the wrapper a group signal reached the trainer twice (directly and relayed), and the
    // second Ctrl-C quits without saving.
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const relay = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) o.log(line);
    };
    child.stdout?.on('data', relay);
    child.stderr?.on('data', relay);
    child.on('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopping) return;
      const quick = Date.now() - started < 10_000;
      this.failures = code === 0 ? 0 : quick ? this.failures + 1 : 1;
      if (this.failures >= 4) {
        o.log(`the demo agent keeps failing (exit ${code ?? signal}); the server and viewer keep running. Try: npm run train -- --url ${o.url}`);
        return;
      }
      const delay = code === 0 ? 500 : 1000 * 2 ** this.failures;
      if (code !== 0) o.log(`demo agent exited (${code ?? signal}); restarting in ${delay / 1000} s`);
      this.timer = setTimeout(() => this.start(), delay);
    });
  }

  /** Stops the agent: SIGINT first, which makes it save its checkpoint; SIGKILL after `graceMs`. The run folder stays. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (child && child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      signalGroup(child.pid, 'SIGINT');
      const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
  }
}

/** Signals the child's process group (the trainer and anything it starts). */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
