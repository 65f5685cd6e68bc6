/**
 * `npm run eval -- --load runs/NAME [--episodes 100] [--url ... | --in-process]`: plays the saved agent greedily
 * and prints success rate, mean return and mean optimality gap; writes them to eval.json in the run folder.
 */
import * as path from 'node:path';
import { evaluate } from '../evaluate';
import { evaluateBatched, playsSameEpisodesBatched } from '../evaluate-batched';
import { makeEnv } from '@rlfs/envs';
import { loadAgent, readCheckpoint, userPluginNeeded } from '../checkpoint';
import { isBuiltinAgent } from '../registry';
import { writeFileDurable } from '../durable';
import { isVectorEnv } from '../env-like';
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { BACKEND_FLAGS, SOURCE_FLAGS, backendLabel, forceBackend, openSource, sourceFromFlags, stopLatch } from './common';
import { loadEnvModules } from '@rlfs/envs/node';

export const EVAL_FLAGS = defineFlags({
  load: { type: 'string', required: true, placeholder: 'DIR', doc: 'run folder (holding checkpoint/) or checkpoint folder to evaluate' },
  agent: { type: 'string', placeholder: 'NAME|PATH', defaultText: 'the checkpoint\'s built-in agent', doc: 'the plugin module of a user agent\'s checkpoint (a checkpoint never names code to load)' },
  episodes: { type: 'int', default: 100, min: 1, placeholder: 'N', doc: 'greedy episodes to play' },
  seed: { type: 'int', default: 1_000_000, min: 0, placeholder: 'K', doc: 'seeds the first reset; the episode set is fixed by it (kept apart from training seeds)' },
  ...SOURCE_FLAGS,
  env: { type: 'string', placeholder: 'ID', defaultText: 'the checkpoint\'s', doc: 'environment id' },
  'env-module': { type: 'list', placeholder: 'PATH', doc: 'a module (.ts or .js) exporting defineEnv environments, for an agent trained on one; repeatable; checked on load' },
  options: { type: 'json', placeholder: 'JSON', defaultText: 'the checkpoint\'s', doc: 'environment options (spaces must match the checkpoint)' },
  out: { type: 'string', placeholder: 'FILE', defaultText: 'eval.json in the run folder', doc: 'where to write the figures' },
  ...BACKEND_FLAGS,
  name: { type: 'string', default: 'eval', placeholder: 'NAME', doc: 'shown to spectators' },
});

const EVAL_COMMAND = defineCommand({
  name: 'npm run eval',
  usage: '--load runs/NAME [options]',
  description: 'Plays a saved agent greedily and reports success rate, mean return and mean optimality gap.',
  flags: EVAL_FLAGS,
});

async function main(argv: readonly string[]): Promise<number> {
  const flags = EVAL_COMMAND.parse(argv);
  await forceBackend(flags);
  await loadEnvModules(flags['env-module'] ?? []);
  const loadDir = path.resolve(flags.load);
  const checkpoint = await readCheckpoint(loadDir);
  const { manifest, dir: checkpointDir } = checkpoint;
  // The agent comes from --agent or, for a built-in, from the registry by the saved name: never from the file.
  const agentFlag = flags.agent;
  if (agentFlag === undefined && !isBuiltinAgent(manifest.agent)) throw new UsageError(userPluginNeeded(checkpoint.file, manifest.agent));
  const envId = flags.env ?? manifest.spec.id;
  const envOptions = flags.options ?? manifest.spec.options;
  const source = sourceFromFlags(flags, envId, envOptions, 0, flags.name);
  const opened = await openSource(source, envId);
  try {
    if (isVectorEnv(opened.env)) throw new UsageError('eval plays one environment at a time');
    const { agent } = await loadAgent(checkpointDir, opened.env.spec, { checkpoint, ...(agentFlag !== undefined ? { agent: agentFlag } : {}) });
    process.stdout.write(`evaluating ${manifest.agent} (trained ${manifest.progress.steps} steps) on ${envId} ${JSON.stringify(opened.env.spec.options)} (${source.where})\nbackend: ${backendLabel()}\n`);
    const latch = stopLatch(() => undefined);
    const episodes = flags.episodes;
    const evalOptions = {
      episodes,
      seed: flags.seed,
      shouldStop: () => latch.stopped,
      onEpisode: (_e: unknown, k: number) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${k + 1}/${episodes} episodes`);
      },
    };
    // All episodes at once where that plays the very episodes of one environment (evaluate-batched.ts): in-process,
    // a built-in agent and environment on its list; elsewhere (a server's session, user code) one at a time.
    const batched = source.where === 'in-process' && agentFlag === undefined && playsSameEpisodesBatched(manifest.agent, envId);
    const result = batched ? await evaluateBatched(agent, () => makeEnv(envId, envOptions), evalOptions) : await evaluate(agent, opened.env, evalOptions);
    if (process.stderr.isTTY) process.stderr.write('\n');
    agent.dispose?.();
    const out = path.resolve(flags.out ?? path.join(runFolderOf(loadDir, checkpointDir), 'eval.json'));
    if (latch.stopped || result.episodes < episodes) {
      // A partial evaluation is not the figure eval.json promises: the previous file stays as it was.
      process.stdout.write(`stopped by Ctrl-C after ${result.episodes} of ${episodes} episodes; ${out} not written\n`);
      return 130;
    }
    const report = { ...result, agent: manifest.agent, env: envId, envOptions: opened.env.spec.options, trainedSteps: manifest.progress.steps, where: source.where };
    await writeFileDurable(out, JSON.stringify(report, null, 2) + '\n');
    // successRate and meanGap exist only where the environment defines success (GridWorld's goal).
    const success = result.successRate === undefined ? '' : `success rate ${(100 * result.successRate).toFixed(1)}%  `;
    const gap = result.meanGap === undefined ? '' : `  mean gap ${result.meanGap === null ? 'n/a (no success)' : result.meanGap.toFixed(2)} steps`;
    process.stdout.write(`${success}mean return ${result.meanReturn.toFixed(2)}${gap}  over ${result.episodes} episodes\nwritten: ${out}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

/** eval.json goes beside checkpoint/ when --load named a run folder, else in the checkpoint folder. */
function runFolderOf(loadDir: string, checkpointDir: string): string {
  return checkpointDir === path.join(loadDir, 'checkpoint') ? loadDir : checkpointDir;
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)), { command: EVAL_COMMAND });
