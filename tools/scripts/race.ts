/**
 * `npm run race -- --agents random,tabular-q,dqn [--seeds 3] [--env ID] [--options JSON] [--steps N]
 * [--eval-every S] [--url URL]`: trains each agent on seeds 1..K of the same environment, as `npm run train`
 * processes through one server (started here, with the viewer, unless --url names one), at most --parallel at a
 * time. Sessions are named race/<raceId>/<agent>/seed<k> (the viewer's /?race=<raceId> overlays them), run folders
 * are runs/race-<raceId>/<agent>-seed<k>/ (each with train.log), and a table per agent closes the race.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { defineCommand, defineFlags, runMain, suggestion, UsageError } from '@rlfs/cli';
import { checkStopMetric, listAgents, parseStopAt } from '@rlfs/agents';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { buildViewer, DIST, viewerBuildIsStale } from '../../packages/viewer/build';
import { formatTable, readRun, summarize } from './race-summary';
import type { RaceRun } from './race-summary';

const ROOT = resolve(__dirname, '../..');
const TRAIN = join(ROOT, 'packages/agents/src/cli/train.ts');

const RACE_FLAGS = defineFlags({
  agents: { type: 'list', default: ['random', 'tabular-q', 'dqn'], placeholder: 'A,B', doc: 'agents to race: registered names or plugin module paths (see npm run train -- --help)' },
  seeds: { type: 'int', default: 3, min: 1, max: 100, placeholder: 'K', doc: 'each agent trains on seeds 1..K' },
  env: { type: 'string', default: 'GridWorld-v0', placeholder: 'ID', doc: 'environment id' },
  options: { type: 'json', default: {}, placeholder: 'JSON', doc: 'environment options, the same for every run' },
  'agent-options': { type: 'json', default: {}, placeholder: 'JSON', doc: 'per agent, its options: {"dqn":{"hiddenSizes":[32]}}' },
  steps: { type: 'int', default: 20_000, min: 1, placeholder: 'N', doc: 'env steps per run (the same budget for every agent)' },
  'eval-every': { type: 'int', min: 1, placeholder: 'S', defaultText: 'steps / 10', doc: 'greedy evaluation every S env steps (train --eval-every)' },
  'eval-episodes': { type: 'int', default: 20, min: 1, placeholder: 'K', doc: 'episodes per evaluation' },
  'stop-at': { type: 'string', placeholder: 'METRIC=VALUE', defaultText: 'none', doc: 'each run stops at this target (train --stop-at); the table shows the steps to it' },
  parallel: { type: 'int', min: 1, placeholder: 'P', defaultText: 'the number of cores', doc: 'trainers running at once' },
  url: { type: 'string', placeholder: 'URL', defaultText: 'a server started here', doc: 'race through this server (ws://HOST:PORT/ws) instead' },
  token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: 'token of the --url server' },
  port: { type: 'int', default: 0, min: 0, max: 65535, placeholder: 'P', doc: 'port of the server started here; 0 = any free port' },
  host: { type: 'string', default: '127.0.0.1', placeholder: 'H', doc: 'address the server started here listens on' },
  'race-id': { type: 'string', placeholder: 'ID', defaultText: 'the start time, e.g. 20261203-154500', doc: 'names the sessions (race/ID/...) and the folder runs/race-ID' },
  out: { type: 'string', default: 'runs', placeholder: 'DIR', doc: 'where the race folder race-ID goes' },
});

const RACE_COMMAND = defineCommand({
  name: 'npm run race',
  description: 'Trains several agents on the same seeds of one environment through one server, for the viewer to overlay, and prints a table per agent.',
  flags: RACE_FLAGS,
});

interface Job {
  agent: string;
  seed: number;
  dir: string;
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = RACE_COMMAND.parse(argv);
  const agents = [...new Set(flags.agents)];
  for (const agent of agents) {
    // A path or a package name is a user plugin, checked by train itself; a bare word must be a registered agent.
    if (!/[/.]/.test(agent) && !listAgents().includes(agent)) throw new UsageError(`--agents: no agent "${agent}"; registered: ${listAgents().join(', ')}${suggestion(agent, listAgents())}`);
  }
  const raceId = flags['race-id'] ?? new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(raceId)) throw new UsageError(`--race-id: letters, digits, ".", "_" and "-" only (at most 64), got "${raceId}"`);
  const agentOptions = flags['agent-options'] as Record<string, unknown>;
  for (const key of Object.keys(agentOptions)) if (!agents.includes(key)) throw new UsageError(`--agent-options: "${key}" is not one of --agents (${agents.join(', ')})`);
  const evalEvery = flags['eval-every'] ?? Math.max(1, Math.floor(flags.steps / 10));
  if (flags['stop-at'] !== undefined) {
    // Every trainer would refuse it: say so once, before anything starts.
    let metric: string;
    try {
      metric = parseStopAt(flags['stop-at']).metric;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const problem = checkStopMetric(metric, { evaluates: true, definesSuccess: true });
    if (problem) throw new UsageError(problem);
  }
  const parallel = flags.parallel ?? availableParallelism();
  const raceDir = resolve(flags.out, `race-${raceId}`);
  const jobs: Job[] = agents.flatMap((agent) => Array.from({ length: flags.seeds }, (_, i) => ({ agent, seed: i + 1, dir: join(raceDir, `${label(agent)}-seed${i + 1}`) })));

  let server: RunningServer | undefined;
  let url = flags.url;
  let viewer: string;
  if (url) {
    viewer = httpOf(url);
  } else {
    if (viewerBuildIsStale()) await buildViewer({ quiet: true });
    server = await startServer({ staticDir: DIST, port: flags.port, host: flags.host, warn: () => undefined });
    url = server.url;
    viewer = server.httpUrl.endsWith('/') ? server.httpUrl : `${server.httpUrl}/`;
  }
  const envLabel = `${flags.env} ${JSON.stringify(flags.options)}`;
  process.stdout.write(`race ${raceId}: ${agents.join(', ')} on ${envLabel}, seeds 1..${flags.seeds}, ${flags.steps} steps each, evaluation every ${evalEvery} steps (${flags['eval-episodes']} episodes)\n`);
  process.stdout.write(`server: ${url}${server ? ' (started here; it stops when the race ends)' : ''}\nwatch:  ${viewer}?race=${encodeURIComponent(raceId)}\nruns:   ${raceDir}\n`);

  const children = new Set<ReturnType<typeof spawn>>();
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nCtrl-C: the trainers save their checkpoints and stop (Ctrl-C again to quit at once)\n');
    for (const child of children) signal(child.pid, 'SIGINT');
  });

  const trainArgs = (job: Job): string[] => {
    const args = [
      TRAIN, '--agent', job.agent, '--url', url!, '--name', `race/${raceId}/${label(job.agent)}/seed${job.seed}`, '--seed', String(job.seed),
      '--env', flags.env, '--options', JSON.stringify(flags.options), '--steps', String(flags.steps), '--out', job.dir,
      '--eval-every', String(evalEvery), '--eval-episodes', String(flags['eval-episodes']), '--quiet',
    ];
    if (flags['stop-at']) args.push('--stop-at', flags['stop-at']);
    if (agentOptions[job.agent] !== undefined) args.push('--agent-options', JSON.stringify(agentOptions[job.agent]));
    return args;
  };

  const runs: RaceRun[] = [];
  const runJob = (job: Job): Promise<void> => new Promise((done) => {
    mkdirSync(job.dir, { recursive: true });
    const log = createWriteStream(join(job.dir, 'train.log'));
    // node --import tsx, not the tsx binary (which relays signals twice); its own process group, so that a Ctrl-C
    // reaches it once, from us.
    const child = spawn(process.execPath, ['--import', 'tsx', ...trainArgs(job)], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(flags.token ? { RLFS_TOKEN: flags.token } : {}) },
    });
    children.add(child);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    process.stdout.write(`  started ${label(job.agent)} seed ${job.seed}\n`);
    child.on('close', (code) => {
      children.delete(child);
      log.end();
      const run = readRun(job.agent, job.seed, job.dir, code);
      runs.push(run);
      const figures = run.lastEval ? `eval/success ${run.lastEval['eval/success']?.toFixed(2) ?? '-'}, eval/return ${run.lastEval['eval/return']?.toFixed(1) ?? '-'}` : 'no evaluation';
      const how = code === 0 ? 'finished' : code === 130 ? 'stopped by Ctrl-C (checkpoint saved)' : `failed (exit ${code}; see ${join(job.dir, 'train.log')})`;
      process.stdout.write(`  ${how} ${label(job.agent)} seed ${job.seed}: ${figures}\n`);
      done();
    });
  });

  // A pool of `parallel` workers taking jobs in order: every agent's seed 1 first, so early results compare.
  const order = [...jobs].sort((a, b) => a.seed - b.seed || agents.indexOf(a.agent) - agents.indexOf(b.agent));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length && !interrupted) await runJob(order[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, order.length) }, worker));
  } finally {
    await server?.close(1001);
  }

  const rows = summarize(runs, agents);
  process.stdout.write(`\nfinal evaluation per agent (${flags['eval-episodes']} greedy episodes each, seeds 1..${flags.seeds}):\n`);
  process.stdout.write(formatTable(rows, flags['stop-at']));
  process.stdout.write(`\nrun folders: ${raceDir}\nsee them again: npm run view -- ${raceDir}/*\n`);
  if (interrupted) return 130;
  return runs.every((r) => r.exitCode === 0) ? 0 : 1;
}

/** An agent as it appears in session and folder names: a plugin path by its file name. */
function label(agent: string): string {
  return /[/.]/.test(agent) ? basename(agent).replace(/\.[cm]?[jt]s$/, '') : agent;
}

/** The viewer's address on the server of a ws:// URL. */
function httpOf(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/';
  return u.toString();
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)), { command: RACE_COMMAND });
