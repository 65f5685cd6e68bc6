/**
 * The demo agent of `npm start`: `npm run train`'s DQN as a child process on the server, learning for as long
 * as the server runs. When a training budget ends it resumes from its checkpoint; when it fails it restarts
 * with backoff, and gives up (saying so) if it keeps failing at once.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const TRAIN = join(ROOT, 'packages/agents/src/cli/train.ts');

export interface DemoAgentOptions {
  url: string;
  token?: string;
  name: string;
  agent: string;
  /** GridWorld options as JSON. */
  envOptions: string;
  /** Steps per training run before it checkpoints and resumes. */
  stepsPerRun: number;
  log(line: string): void;
}

export class DemoAgent {
  private child: ChildProcess | undefined;
  private stopping = false;
  private failures = 0;
  private readonly runDir = mkdtempSync(join(tmpdir(), 'rlfs-demo-'));
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: DemoAgentOptions) {}

  /** False when the agents package is not there (the viewer still runs). */
  static available(): boolean {
    return existsSync(TRAIN);
  }

  start(): void {
    const o = this.options;
    const resume = existsSync(join(this.runDir, 'checkpoint'));
    const args = [TRAIN, '--agent', o.agent, '--url', o.url, '--name', o.name, '--options', o.envOptions, '--steps', String(o.stepsPerRun), '--out', this.runDir, '--quiet'];
    if (resume) args.push('--resume', this.runDir);
    const env = { ...process.env, ...(o.token ? { RLFS_TOKEN: o.token } : {}) };
    const started = Date.now();
    // Its own process group: Ctrl-C reaches us, and we stop the agent ourselves, in order.
    const child = spawn(TSX, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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

  /** Stops the agent (SIGINT first, which lets it checkpoint; SIGKILL after `graceMs`) and removes its run folder. */
  async stop(graceMs = 4000): Promise<void> {
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
    rmSync(this.runDir, { recursive: true, force: true });
  }
}

/** Signals the child's process group (tsx runs node as its own child). */
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
