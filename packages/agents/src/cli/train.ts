/**
 * `npm run train -- --agent dqn [--url ws://HOST:PORT/ws | --in-process] ...`: trains an agent, shows progress,
 * streams telemetry, writes episodes.csv, curve.svg and checkpoints into the run folder. Ctrl-C saves first.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { resolvePlugin } from '../registry';
import { train } from '../runner';
import { RunFolder } from '../run-folder';
import { loadAgent, readCheckpoint, saveCheckpoint } from '../checkpoint';
import type { Progress } from '../checkpoint';
import type { Agent } from '../plugin';
import { describeOptions } from '../options';
import { applyRecipe, flagsGiven, loadRecipe } from '../recipe';
import { helpText, parseFlags, UsageError } from './args';
import type { FlagTable } from './args';
import { ProgressBar } from './progress';
import { DEFAULT_ENV, backendLabel, forceBackend, reportError, runMain, sourceFromFlags, stopLatch } from './common';
import { listAgents } from '../registry';
import { currentBackend } from '../backend';

export const TRAIN_FLAGS: FlagTable = {
  agent: { type: 'string', defaultText: '"dqn" (with --resume: the checkpoint\'s agent)', meta: 'NAME|PATH', doc: `a registered agent (${listAgents().join(', ')}) or the path or package name of a module exporting a plugin` },
  config: { type: 'string', meta: 'FILE', doc: 'a recipe (recipes/NAME.json: env, options, agent, agentOptions, steps, numEnvs, seed); flags given here win' },
  'agent-options': { type: 'json', default: {}, meta: 'JSON', doc: 'agent options over its defaults (see the agent list below)' },
  url: { type: 'string', meta: 'URL', doc: 'train over the socket against ws://HOST:PORT/ws' },
  'in-process': { type: 'boolean', default: false, doc: 'train on the environment core in this process (the default when --url is absent)' },
  env: { type: 'string', meta: 'ID', defaultText: `${DEFAULT_ENV} (with --resume: the checkpoint's)`, doc: 'environment id' },
  options: { type: 'json', meta: 'JSON', defaultText: '{} (with --resume: the checkpoint\'s)', doc: 'environment options, e.g. \'{"size":8,"obstacles":6}\'' },
  'num-envs': { type: 'int', default: 0, meta: 'N', doc: 'sub-environments of a vector session; 0 = one scalar environment' },
  steps: { type: 'int', meta: 'S', defaultText: 'per agent: dqn 10000, tabular-q 50000, random 2000', doc: 'environment steps to train (all sub-envs together)' },
  episodes: { type: 'int', meta: 'E', doc: 'stop after E episodes instead (or whichever comes first with --steps)' },
  seed: { type: 'int', default: 1, meta: 'K', doc: 'seeds the environment and the agent: same seed, same backend, same run' },
  name: { type: 'string', meta: 'NAME', defaultText: 'the agent name', doc: 'shown to spectators; names the run folder' },
  out: { type: 'string', meta: 'DIR', defaultText: 'runs/NAME (with --resume: the resumed run folder)', doc: 'run folder: episodes.csv, curve.svg, checkpoint/' },
  'checkpoint-every': { type: 'int', default: 200, meta: 'M', doc: 'save a checkpoint every M episodes (and always at the end); 0 = only at the end' },
  resume: { type: 'string', meta: 'DIR', doc: 'continue training from this checkpoint (or run folder)' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'node', 'wasm', 'cpu'], doc: 'TensorFlow.js backend; auto tries node, wasm, cpu' },
  encoding: { type: 'string', default: 'packed', choices: ['plain', 'packed'], doc: 'wire encoding of a remote session' },
  token: { type: 'string', meta: 'T', defaultText: '$RLFS_TOKEN', doc: 'token of a server started with --token' },
  quiet: { type: 'boolean', default: false, doc: 'no progress line' },
  help: { type: 'boolean', default: false, doc: 'show this help' },
};

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(TRAIN_FLAGS, argv);
  const flags = parsed.config ? applyRecipe(parsed, loadRecipe(parsed.config as string), flagsGiven(argv)) : parsed;
  if (flags.help) {
    process.stdout.write(await fullHelp());
    return 0;
  }
  await forceBackend(flags);
  const resumed = flags.resume ? await readCheckpoint(flags.resume as string) : undefined;
  const agentSpec = (flags.agent as string | undefined) ?? resumed?.manifest.agentModule ?? resumed?.manifest.agent ?? 'dqn';
  const { plugin, module } = await resolvePlugin(agentSpec);
  if (resumed && plugin.name !== resumed.manifest.agent) {
    throw new UsageError(`--resume ${flags.resume as string} holds a ${resumed.manifest.agent} agent, --agent says ${plugin.name}`);
  }
  const name = (flags.name as string | undefined) ?? plugin.name;
  // A resumed run continues where it was: same run folder and environment unless told otherwise.
  const outDir = path.resolve((flags.out as string | undefined) ?? (flags.resume ? runFolderOf(flags.resume as string) : path.join('runs', name)));
  const envId = (flags.env as string | undefined) ?? resumed?.manifest.spec.id ?? DEFAULT_ENV;
  const envOptions = (flags.options as Record<string, unknown> | undefined) ?? resumed?.manifest.spec.options ?? {};
  const source = sourceFromFlags(flags, envId, Object.keys(envOptions).length ? envOptions : undefined, flags['num-envs'] as number, name);
  const steps = (flags.steps as number | undefined) ?? (flags.episodes === undefined ? plugin.defaultSteps ?? 10_000 : undefined);
  const episodes = flags.episodes as number | undefined;
  const seed = flags.seed as number;

  const first = await source.open();
  let agent: Agent;
  let options: object;
  let start: Progress = { steps: 0, episodes: 0 };
  try {
    if (flags.resume) {
      const loaded = await loadAgent(flags.resume as string, first.env.spec);
      ({ agent, options } = loaded);
      start = loaded.manifest.progress;
    } else {
      options = plugin.resolveOptions(flags['agent-options']);
      agent = await plugin.create(first.env.spec, options, { seed });
    }
  } catch (err) {
    await first.close();
    throw err;
  }
  const run = new RunFolder(outDir, Boolean(flags.resume) && path.resolve(flags.resume as string).startsWith(outDir));
  const envLabel = `${first.env.spec.id} ${JSON.stringify(first.env.spec.options)}`;
  process.stdout.write(`training ${plugin.name} on ${envLabel} (${source.where}${flags['num-envs'] ? `, ${flags['num-envs']} envs` : ''})\n`);
  process.stdout.write(`backend: ${backendLabel()}\nrun folder: ${outDir}\nbudget: ${steps !== undefined ? `${steps} steps` : ''}${steps !== undefined && episodes !== undefined ? ', ' : ''}${episodes !== undefined ? `${episodes} episodes` : ''}\n`);

  const bar = new ProgressBar(process.stderr, { ...(steps !== undefined ? { steps } : {}), ...(episodes !== undefined ? { episodes } : {}) });
  const latch = stopLatch(() => process.stderr.write('\nCtrl-C: saving a checkpoint before exiting (Ctrl-C again to quit at once)\n'));
  const save = async (progress: Progress): Promise<void> => {
    run.flush();
    run.writeCurve(`${plugin.name} on ${first.env.spec.id}: return per episode`);
    await saveCheckpoint(run.checkpointDir, agent, {
      plugin, ...(module ? { agentModule: module } : {}), options, spec: first.env.spec, seed, progress, ...(currentBackend() ? { backend: currentBackend() } : {}),
    });
  };
  const result = await train({
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
  bar.done();
  agent.dispose?.();
  const wins = run.successes.filter(Boolean).length;
  process.stdout.write(
    `${result.stoppedBy === 'signal' ? 'stopped by Ctrl-C' : 'done'}: ${result.steps} steps, ${result.episodes} episodes in ${result.seconds.toFixed(1)} s ` +
    `(${(result.steps / Math.max(result.seconds, 1e-9)).toFixed(0)} steps/s); success in training ${run.successes.length ? ((100 * wins) / run.successes.length).toFixed(1) : '-'}%` +
    `${result.reconnects ? `; ${result.reconnects} reconnects` : ''}\ncheckpoint: ${run.checkpointDir}\ncurve: ${run.file('curve.svg')}\n`,
  );
  return result.stoppedBy === 'signal' ? 130 : 0;
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
