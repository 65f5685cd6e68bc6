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
import { defineCommand, defineFlags, runMain, suggestion, UsageError } from '@rlfs/cli';
import { applyRecipe, loadRecipe } from '../recipe';
import { ProgressBar } from './progress';
import { RunExtras, TRAIN_EXTRA_FLAGS, openEvaluation, stopAtFromFlags } from './train-extras';
import { Metric } from '../plugin';
import { BACKEND_FLAGS, DEFAULT_ENV, SOURCE_FLAGS, backendLabel, forceBackend, openSource, sourceFromFlags, stopLatch } from './common';
import { loadEnvModules } from '@rlfs/envs/node';
import { listAgents } from '../registry';
import { currentBackend } from '../backend';
import { UnknownAgentError } from '../errors';
import { addDemosFromFile } from './demos';

export const TRAIN_FLAGS = defineFlags({
  agent: { type: 'string', defaultText: '"dqn" (with --resume: the checkpoint\'s built-in agent; a user plugin\'s checkpoint needs --agent again)', placeholder: 'NAME|PATH', doc: `a registered agent (${listAgents().join(', ')}) or the path or package name of a module exporting a plugin` },
  config: { type: 'string', placeholder: 'FILE', doc: 'a recipe (recipes/NAME.json: env, options, agent, agentOptions, steps, numEnvs, seed); flags given here win' },
  'agent-options': { type: 'json', default: {}, placeholder: 'JSON', doc: 'agent options over its defaults (see the agent list below)' },
  ...SOURCE_FLAGS,
  env: { type: 'string', placeholder: 'ID', defaultText: `${DEFAULT_ENV} (with --resume: the checkpoint's)`, doc: 'environment id' },
  'env-module': { type: 'list', placeholder: 'PATH', doc: 'a module (.ts or .js) exporting defineEnv environments, for --env; repeatable; checked on load' },
  options: { type: 'json', placeholder: 'JSON', defaultText: '{} (with --resume: the checkpoint\'s)', doc: 'environment options, e.g. \'{"size":8,"obstacles":6}\'' },
  'num-envs': { type: 'int', default: 0, min: 0, placeholder: 'N', doc: 'sub-environments of a vector session; 0 = one scalar environment' },
  steps: { type: 'int', min: 1, placeholder: 'S', defaultText: 'per agent: dqn 10000, tabular-q 50000, random 2000', doc: 'environment steps to train in total (all sub-envs together; with --resume, counting the checkpoint\'s)' },
  episodes: { type: 'int', min: 1, placeholder: 'E', doc: 'stop after E episodes instead (or whichever comes first with --steps)' },
  seed: { type: 'int', default: 1, min: 0, placeholder: 'K', doc: 'seeds the environment and the agent: same seed, same backend, same run' },
  ...TRAIN_EXTRA_FLAGS,
  name: { type: 'string', placeholder: 'NAME', defaultText: 'the agent name', doc: 'shown to spectators; names the run folder' },
  out: { type: 'string', placeholder: 'DIR', defaultText: 'runs/NAME (with --resume: the resumed run folder)', doc: 'run folder: episodes.csv, curve.svg, checkpoint/' },
  'checkpoint-every': { type: 'int', default: 200, min: 0, placeholder: 'M', doc: 'save a checkpoint every M episodes (and always at the end); 0 = only at the end' },
  resume: { type: 'string', placeholder: 'DIR', doc: 'continue training from this checkpoint (or run folder); --steps/--episodes stay totals' },
  demos: { type: 'string', placeholder: 'FILE', doc: 'demonstrations (JSON lines, as /play records them) put in the replay buffer before training (dqn)' },
  ...BACKEND_FLAGS,
  quiet: { type: 'boolean', doc: 'no progress line' },
});

const TRAIN_COMMAND = defineCommand({
  name: 'npm run train',
  description: 'Trains an agent on an environment, in-process or over the socket.',
  flags: TRAIN_FLAGS,
  epilog: agentOptionsHelp,
});

async function main(argv: readonly string[]): Promise<number> {
  const parsed = TRAIN_COMMAND.parseDetailed(argv);
  const flags = parsed.values.config ? applyRecipe(parsed.values, loadRecipe(parsed.values.config), parsed.given) : parsed.values;
  const stopAt = stopAtFromFlags(flags);
  await forceBackend(flags);
  await loadEnvModules(flags['env-module'] ?? []);
  const resumed = flags.resume ? await readCheckpoint(flags.resume) : undefined;
  // The agent comes from --agent or, for a built-in, from the registry by the saved name: never from the file.
  if (resumed && flags.agent === undefined && !isBuiltinAgent(resumed.manifest.agent)) throw new UsageError(userPluginNeeded(resumed.file, resumed.manifest.agent));
  const agentSpec = flags.agent ?? resumed?.manifest.agent ?? 'dqn';
  const { plugin } = await resolvePlugin(agentSpec).catch((err: unknown) => {
    // --agent naming no agent is a mistake in the command line, like any other bad flag value.
    if (err instanceof UnknownAgentError) throw new UsageError(`${err.message}${suggestion(agentSpec, listAgents())}`);
    throw err;
  });
  if (resumed && plugin.name !== resumed.manifest.agent) {
    throw new UsageError(`--resume ${flags.resume} holds a ${resumed.manifest.agent} agent, --agent says ${plugin.name}`);
  }
  const name = flags.name ?? plugin.name;
  // A resumed run continues where it was: same run folder and environment unless told otherwise.
  const outDir = path.resolve(flags.out ?? (flags.resume ? runFolderOf(flags.resume) : path.join('runs', name)));
  const envId = flags.env ?? resumed?.manifest.spec.id ?? DEFAULT_ENV;
  const envOptions = flags.options ?? resumed?.manifest.spec.options ?? {};
  const steps = flags.steps ?? (flags.episodes === undefined ? plugin.defaultSteps ?? 10_000 : undefined);
  const episodes = flags.episodes;
  const seed = flags.seed;
  const start: Progress = resumed ? resumed.manifest.progress : { steps: 0, episodes: 0 };
  const budget = budgetText(steps, episodes);
  if (resumed && ((steps !== undefined && start.steps >= steps) || (episodes !== undefined && start.episodes >= episodes))) {
    // --steps and --episodes are totals: a checkpoint that has them already has nothing left to train.
    process.stdout.write(`nothing to train: ${resumed.file} is at step ${start.steps}, episode ${start.episodes}, and the budget (${budget}) counts the whole run; ask for more, e.g. --steps ${start.steps + (steps ?? 10_000)}\n`);
    return 0;
  }
  const source = sourceFromFlags(flags, envId, Object.keys(envOptions).length ? envOptions : undefined, flags['num-envs'], name);

  const first = await openSource(source, envId);
  // The evaluation plays on an environment of its own: same id and options, same source, one scalar session (on the
  // first server when --url names several: a scalar env is not split).
  const evalFlags = flags.url && flags.url.length > 1 ? { ...flags, url: flags.url.slice(0, 1) } : flags;
  const evalSource = sourceFromFlags(evalFlags, envId, Object.keys(envOptions).length ? envOptions : undefined, 0, `eval:${name}`);
  const evaluation = await openEvaluation(flags, evalSource, stopAt).catch(async (err: unknown) => {
    await first.close();
    throw err;
  });
  let agent: Agent;
  let options: object;
  try {
    if (resumed) {
      ({ agent, options } = await loadAgent(resumed.dir, first.env.spec, { plugin, checkpoint: resumed }));
    } else {
      options = plugin.resolveOptions(flags['agent-options']);
      agent = await plugin.create(first.env.spec, options, { seed });
    }
    if (flags.demos) process.stdout.write(await addDemosFromFile(agent, plugin.name, flags.demos, first.env.spec));
  } catch (err) {
    await evaluation?.close();
    await first.close();
    throw err;
  }
  const sameFolder = resumed !== undefined && isInside(outDir, resumed.dir);
  const run = new RunFolder(outDir, sameFolder ? { resumeEpisodes: start.episodes } : {});
  const envLabel = `${first.env.spec.id} ${JSON.stringify(first.env.spec.options)}`;
  const saveInfo = { plugin, options, spec: first.env.spec, seed, ...(currentBackend() ? { backend: currentBackend() } : {}) };
  const latch = stopLatch(() => process.stderr.write('\nCtrl-C: saving a checkpoint before exiting (Ctrl-C again to quit at once)\n'));
  const extras = new RunExtras({
    flags, run, saveInfo,
    ...(evaluation ? { evaluation } : {}),
    ...(stopAt ? { stopAt } : {}),
    ...(sameFolder ? { resumeSteps: start.steps } : {}),
    // Under the progress line (which \r rewrites) a message starts on a line of its own.
    log: (line) => process.stderr.write(flags.quiet ? `${line}\n` : `\n${line}\n`),
    shouldStop: () => latch.stopped,
  });
  const runFields = {
    env: first.env.spec.id, options: first.env.spec.options, agent: plugin.name, agentOptions: options, seed, name,
    numEnvs: flags['num-envs'], where: source.where, startedAt: new Date().toISOString(),
  };
  extras.writeRunJson(runFields);
  process.stdout.write(`training ${plugin.name} on ${envLabel} (${source.where}${flags['num-envs'] ? `, ${flags['num-envs']} envs` : ''})\n`);
  process.stdout.write(`backend: ${backendLabel()}\nrun folder: ${outDir}\nbudget: ${budget} in total (--steps and --episodes count the whole run, resumed steps included)\n`);
  if (resumed) process.stdout.write(`resuming at step ${start.steps}${steps !== undefined ? ` of ${steps}` : ''}, episode ${start.episodes}${episodes !== undefined ? ` of ${episodes}` : ''}\n`);

  const bar = new ProgressBar(process.stderr, { ...(steps !== undefined ? { steps } : {}), ...(episodes !== undefined ? { episodes } : {}) });
  const save = async (progress: Progress): Promise<void> => {
    run.sync();
    extras.sync();
    run.writeCurve(`${plugin.name} on ${envLabel}, seed ${seed}`);
    await saveCheckpoint(run.checkpointDir, agent, { ...saveInfo, progress });
  };
  let result;
  try {
    result = await train({
      agent, source, first, seed, start,
      ...(steps !== undefined ? { steps } : {}),
      ...(episodes !== undefined ? { episodes } : {}),
      checkpointEvery: flags['checkpoint-every'],
      onCheckpoint: save,
      onEpisode: (e) => {
        run.record(e);
        bar.episode(e.return, e.success);
      },
      onReport: (r) => {
        extras.report(r, Metric.stepsPerSecond);
        if (!flags.quiet) bar.report(r);
      },
      periodic: extras.tasks(agent),
      targetReached: () => stopAt?.reached ?? false,
      shouldStop: () => latch.stopped,
      log: (m) => process.stderr.write(`\n${m}\n`),
    });
  } finally {
    run.close();
    await extras.close();
  }
  bar.done();
  extras.writeRunJson(runFields, result);
  if (stopAt?.reachedAt) process.stdout.write(`stopped at the target: ${stopAt.target.metric} reached ${stopAt.reachedAt.value} (>= ${stopAt.target.value}) at step ${stopAt.reachedAt.step}\n`);
  else if (stopAt) process.stdout.write(`target not reached: ${stopAt.describe()}\n`);
  agent.dispose?.();
  // Speed counts the steps this process ran, not the ones the checkpoint brought.
  const ran = result.steps - start.steps;
  const ranEpisodes = result.episodes - start.episodes;
  process.stdout.write(
    `${result.stoppedBy === 'signal' ? 'stopped by Ctrl-C' : 'done'}: ${ran} steps, ${ranEpisodes} episodes in ${result.seconds.toFixed(1)} s ` +
    `(${(ran / Math.max(result.seconds, 1e-9)).toFixed(0)} steps/s)${resumed ? `; the run is now at step ${result.steps}, episode ${result.episodes}` : ''}; ` +
    `success in training ${run.episodes ? ((100 * run.successes) / run.episodes).toFixed(1) : '-'}%` +
    `${result.reconnects ? `; ${result.reconnects} reconnects` : ''}\ncheckpoint: ${run.checkpointDir}\ncurve: ${run.file('curve.svg')}\n` +
    `${extras.last ? `best: ${extras.bestDir}\n` : ''}metrics: ${run.file('metrics.csv')}\n`,
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

/** The help's epilogue: each built-in agent's options with their defaults. */
async function agentOptionsHelp(): Promise<string> {
  const lines = ['Agent options (--agent-options JSON):'];
  for (const agentName of listAgents()) {
    const { plugin } = await resolvePlugin(agentName);
    lines.push(`  ${agentName}: ${plugin.description}`);
    for (const line of describeOptions(plugin.defaults, plugin.schema)) lines.push(`    ${line}`);
  }
  return lines.join('\n') + '\n';
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)), { command: TRAIN_COMMAND });
