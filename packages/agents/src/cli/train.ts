/**
 * `npm run train -- --agent dqn [--url ws://HOST:PORT/ws | --in-process] ...`: trains an agent, shows progress,
 * streams telemetry, writes episodes.csv, curve.svg and checkpoints into the run folder. Ctrl-C saves first.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isBuiltinAgent, resolvePlugin } from '../registry';
import { train } from '../runner';
import { RunFolder } from '../run-folder';
import { loadAgent, readCheckpoint, saveCheckpoint, userPluginNeeded } from '../checkpoint';
import type { Progress } from '../checkpoint';
import type { Agent } from '../plugin';
import { describeOptions } from '../options';
import { helpText, parseFlags, UsageError } from './args';
import type { FlagTable } from './args';
import { ProgressBar } from './progress';
import { DEFAULT_ENV, backendLabel, forceBackend, reportError, runMain, sourceFromFlags, stopLatch } from './common';
import { listAgents } from '../registry';
import { currentBackend } from '../backend';

export const TRAIN_FLAGS: FlagTable = {
  agent: { type: 'string', defaultText: '"dqn" (with --resume: the checkpoint\'s built-in agent; a user plugin\'s checkpoint needs --agent again)', meta: 'NAME|PATH', doc: `a registered agent (${listAgents().join(', ')}) or the path or package name of a module exporting a plugin` },
  'agent-options': { type: 'json', default: {}, meta: 'JSON', doc: 'agent options over its defaults (see the agent list below)' },
  url: { type: 'string', meta: 'URL', doc: 'train over the socket against ws://HOST:PORT/ws' },
  'in-process': { type: 'boolean', default: false, doc: 'train on the environment core in this process (the default when --url is absent)' },
  env: { type: 'string', meta: 'ID', defaultText: `${DEFAULT_ENV} (with --resume: the checkpoint's)`, doc: 'environment id' },
  options: { type: 'json', meta: 'JSON', defaultText: '{} (with --resume: the checkpoint\'s)', doc: 'environment options, e.g. \'{"size":8,"obstacles":6}\'' },
  'num-envs': { type: 'int', default: 0, meta: 'N', doc: 'sub-environments of a vector session; 0 = one scalar environment' },
  steps: { type: 'int', meta: 'S', defaultText: 'per agent: dqn 10000, tabular-q 50000, random 2000', doc: 'environment steps to train in total (all sub-envs together; with --resume, counting the checkpoint\'s)' },
  episodes: { type: 'int', meta: 'E', doc: 'stop after E episodes instead (or whichever comes first with --steps)' },
  seed: { type: 'int', default: 1, meta: 'K', doc: 'seeds the environment and the agent: same seed, same backend, same run' },
  name: { type: 'string', meta: 'NAME', defaultText: 'the agent name', doc: 'shown to spectators; names the run folder' },
  out: { type: 'string', meta: 'DIR', defaultText: 'runs/NAME (with --resume: the resumed run folder)', doc: 'run folder: episodes.csv, curve.svg, checkpoint/' },
  'checkpoint-every': { type: 'int', default: 200, meta: 'M', doc: 'save a checkpoint every M episodes (and always at the end); 0 = only at the end' },
  resume: { type: 'string', meta: 'DIR', doc: 'continue training from this checkpoint (or run folder); --steps/--episodes stay totals' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'node', 'wasm', 'cpu'], doc: 'TensorFlow.js backend; auto tries node, wasm, cpu' },
  encoding: { type: 'string', default: 'packed', choices: ['plain', 'packed'], doc: 'wire encoding of a remote session' },
  token: { type: 'string', meta: 'T', defaultText: '$RLFS_TOKEN', doc: 'token of a server started with --token' },
  quiet: { type: 'boolean', default: false, doc: 'no progress line' },
  help: { type: 'boolean', default: false, doc: 'show this help' },
};

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(TRAIN_FLAGS, argv);
  if (flags.help) {
    process.stdout.write(await fullHelp());
    return 0;
  }
  await forceBackend(flags);
  const resumed = flags.resume ? await readCheckpoint(flags.resume as string) : undefined;
  // The agent comes from --agent or, for a built-in, from the registry by the saved name: never from the file.
  if (resumed && flags.agent === undefined && !isBuiltinAgent(resumed.manifest.agent)) throw new UsageError(userPluginNeeded(resumed.file, resumed.manifest.agent));
  const agentSpec = (flags.agent as string | undefined) ?? resumed?.manifest.agent ?? 'dqn';
  const { plugin } = await resolvePlugin(agentSpec);
  if (resumed && plugin.name !== resumed.manifest.agent) {
    throw new UsageError(`--resume ${flags.resume as string} holds a ${resumed.manifest.agent} agent, --agent says ${plugin.name}`);
  }
  const name = (flags.name as string | undefined) ?? plugin.name;
  // A resumed run continues where it was: same run folder and environment unless told otherwise.
  const outDir = path.resolve((flags.out as string | undefined) ?? (flags.resume ? runFolderOf(flags.resume as string) : path.join('runs', name)));
  const envId = (flags.env as string | undefined) ?? resumed?.manifest.spec.id ?? DEFAULT_ENV;
  const envOptions = (flags.options as Record<string, unknown> | undefined) ?? resumed?.manifest.spec.options ?? {};
  const steps = (flags.steps as number | undefined) ?? (flags.episodes === undefined ? plugin.defaultSteps ?? 10_000 : undefined);
  const episodes = flags.episodes as number | undefined;
  const seed = flags.seed as number;
  const start: Progress = resumed ? resumed.manifest.progress : { steps: 0, episodes: 0 };
  const budget = budgetText(steps, episodes);
  if (resumed && ((steps !== undefined && start.steps >= steps) || (episodes !== undefined && start.episodes >= episodes))) {
    // --steps and --episodes are totals: a checkpoint that has them already has nothing left to train.
    process.stdout.write(`nothing to train: ${resumed.file} is at step ${start.steps}, episode ${start.episodes}, and the budget (${budget}) counts the whole run; ask for more, e.g. --steps ${start.steps + (steps ?? 10_000)}\n`);
    return 0;
  }
  const source = sourceFromFlags(flags, envId, Object.keys(envOptions).length ? envOptions : undefined, flags['num-envs'] as number, name);

  const first = await source.open();
  let agent: Agent;
  let options: object;
  try {
    if (resumed) {
      ({ agent, options } = await loadAgent(resumed.dir, first.env.spec, { plugin, checkpoint: resumed }));
    } else {
      options = plugin.resolveOptions(flags['agent-options']);
      agent = await plugin.create(first.env.spec, options, { seed });
    }
  } catch (err) {
    await first.close();
    throw err;
  }
  const sameFolder = resumed !== undefined && isInside(outDir, resumed.dir);
  const run = new RunFolder(outDir, sameFolder ? { resumeEpisodes: start.episodes } : {});
  const envLabel = `${first.env.spec.id} ${JSON.stringify(first.env.spec.options)}`;
  process.stdout.write(`training ${plugin.name} on ${envLabel} (${source.where}${flags['num-envs'] ? `, ${flags['num-envs']} envs` : ''})\n`);
  process.stdout.write(`backend: ${backendLabel()}\nrun folder: ${outDir}\nbudget: ${budget} in total (--steps and --episodes count the whole run, resumed steps included)\n`);
  if (resumed) process.stdout.write(`resuming at step ${start.steps}${steps !== undefined ? ` of ${steps}` : ''}, episode ${start.episodes}${episodes !== undefined ? ` of ${episodes}` : ''}\n`);

  const bar = new ProgressBar(process.stderr, { ...(steps !== undefined ? { steps } : {}), ...(episodes !== undefined ? { episodes } : {}) });
  const latch = stopLatch(() => process.stderr.write('\nCtrl-C: saving a checkpoint before exiting (Ctrl-C again to quit at once)\n'));
  const save = async (progress: Progress): Promise<void> => {
    run.sync();
    run.writeCurve(`${plugin.name} on ${first.env.spec.id}: return per episode`);
    await saveCheckpoint(run.checkpointDir, agent, {
      plugin, options, spec: first.env.spec, seed, progress, ...(currentBackend() ? { backend: currentBackend() } : {}),
    });
  };
  let result;
  try {
    result = await train({
      agent, source, first, seed, start,
      ...(steps !== undefined ? { steps } : {}),
      ...(episodes !== undefined ? { episodes } : {}),
      checkpointEvery: flags['checkpoint-every'] as number,
      onCheckpoint: save,
      onEpisode: (e) => {
        run.record(e);
        bar.episode(e.return, e.success);
      },
      ...(flags.quiet ? {} : { onReport: (r) => bar.report(r) }),
      shouldStop: () => latch.stopped,
      log: (m) => process.stderr.write(`\n${m}\n`),
    });
  } finally {
    run.close();
  }
  bar.done();
  agent.dispose?.();
  // Speed counts the steps this process ran, not the ones the checkpoint brought.
  const ran = result.steps - start.steps;
  const ranEpisodes = result.episodes - start.episodes;
  process.stdout.write(
    `${result.stoppedBy === 'signal' ? 'stopped by Ctrl-C' : 'done'}: ${ran} steps, ${ranEpisodes} episodes in ${result.seconds.toFixed(1)} s ` +
    `(${(ran / Math.max(result.seconds, 1e-9)).toFixed(0)} steps/s)${resumed ? `; the run is now at step ${result.steps}, episode ${result.episodes}` : ''}; ` +
    `success in training ${run.episodes ? ((100 * run.successes) / run.episodes).toFixed(1) : '-'}%` +
    `${result.reconnects ? `; ${result.reconnects} reconnects` : ''}\ncheckpoint: ${run.checkpointDir}\ncurve: ${run.file('curve.svg')}\n`,
  );
  return result.stoppedBy === 'signal' ? 130 : 0;
}

function isInside(folder: string, p: string): boolean {
  const rel = path.relative(folder, path.resolve(p));
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

function budgetText(steps: number | undefined, episodes: number | undefined): string {
  return [steps !== undefined ? `${steps} steps` : '', episodes !== undefined ? `${episodes} episodes` : ''].filter(Boolean).join(', ');
}

/** `--resume` takes a run folder or its checkpoint/ folder; the run folder is where training goes on writing. */
function runFolderOf(resume: string): string {
  const dir = path.resolve(resume);
  return existsSync(path.join(dir, 'checkpoint.json')) ? path.dirname(dir) : dir;
}

async function fullHelp(): Promise<string> {
  const lines = [helpText('Usage: npm run train -- [options]', 'Trains an agent on an environment, in-process or over the socket.', TRAIN_FLAGS), 'Agent options (--agent-options JSON):'];
  for (const agentName of listAgents()) {
    const { plugin } = await resolvePlugin(agentName);
    lines.push(`  ${agentName}: ${plugin.description}`);
    for (const line of describeOptions(plugin.defaults, plugin.schema)) lines.push(`    ${line}`);
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) runMain(() => main(process.argv.slice(2)).catch((err: unknown) => reportError(err)));
