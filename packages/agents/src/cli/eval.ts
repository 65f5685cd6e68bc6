/**
 * `npm run eval -- --load runs/NAME [--episodes 100] [--url ... | --in-process]`: plays the saved agent greedily
 * and prints success rate, mean return and mean optimality gap; writes them to eval.json in the run folder.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../evaluate';
import { loadAgent, readCheckpoint } from '../checkpoint';
import { isVectorEnv } from '../env-like';
import { helpText, parseFlags, UsageError } from './args';
import type { FlagTable } from './args';
import { backendLabel, forceBackend, reportError, runMain, sourceFromFlags, stopLatch } from './common';

export const EVAL_FLAGS: FlagTable = {
  load: { type: 'string', meta: 'DIR', doc: 'run folder (holding checkpoint/) or checkpoint folder to evaluate (required)' },
  episodes: { type: 'int', default: 100, meta: 'N', doc: 'greedy episodes to play' },
  seed: { type: 'int', default: 1_000_000, meta: 'K', doc: 'seeds the first reset; the episode set is fixed by it (kept apart from training seeds)' },
  url: { type: 'string', meta: 'URL', doc: 'evaluate over the socket against ws://HOST:PORT/ws' },
  'in-process': { type: 'boolean', default: false, doc: 'evaluate on the environment core in this process (the default when --url is absent)' },
  env: { type: 'string', meta: 'ID', defaultText: 'the checkpoint\'s', doc: 'environment id' },
  options: { type: 'json', meta: 'JSON', defaultText: 'the checkpoint\'s', doc: 'environment options (spaces must match the checkpoint)' },
  out: { type: 'string', meta: 'FILE', defaultText: 'eval.json in the run folder', doc: 'where to write the figures' },
  backend: { type: 'string', default: 'auto', choices: ['auto', 'node', 'wasm', 'cpu'], doc: 'TensorFlow.js backend' },
  encoding: { type: 'string', default: 'packed', choices: ['plain', 'packed'], doc: 'wire encoding of a remote session' },
  token: { type: 'string', meta: 'T', defaultText: '$RLFS_TOKEN', doc: 'token of a server started with --token' },
  name: { type: 'string', default: 'eval', meta: 'NAME', doc: 'shown to spectators' },
  help: { type: 'boolean', default: false, doc: 'show this help' },
};

async function main(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(EVAL_FLAGS, argv);
  if (flags.help) {
    process.stdout.write(helpText('Usage: npm run eval -- --load runs/NAME [options]', 'Plays a saved agent greedily and reports success rate, mean return and mean optimality gap.', EVAL_FLAGS));
    return 0;
  }
  if (!flags.load) throw new UsageError('--load DIR is required (a run folder from npm run train)');
  await forceBackend(flags);
  const loadDir = path.resolve(flags.load as string);
  const { manifest, dir: checkpointDir } = await readCheckpoint(loadDir);
  const envId = (flags.env as string | undefined) ?? manifest.spec.id;
  const envOptions = (flags.options as Record<string, unknown> | undefined) ?? manifest.spec.options;
  const source = sourceFromFlags(flags, envId, envOptions, 0, flags.name as string);
  const opened = await source.open();
  try {
    if (isVectorEnv(opened.env)) throw new UsageError('eval plays one environment at a time');
    const { agent } = await loadAgent(checkpointDir, opened.env.spec);
    process.stdout.write(`evaluating ${manifest.agent} (trained ${manifest.progress.steps} steps) on ${envId} ${JSON.stringify(opened.env.spec.options)} (${source.where})\nbackend: ${backendLabel()}\n`);
    const latch = stopLatch(() => undefined);
    const episodes = flags.episodes as number;
    const result = await evaluate(agent, opened.env, {
      episodes,
      seed: flags.seed as number,
      shouldStop: () => latch.stopped,
      onEpisode: (_e, k) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${k + 1}/${episodes} episodes`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    agent.dispose?.();
    const out = path.resolve((flags.out as string | undefined) ?? path.join(runFolderOf(loadDir, checkpointDir), 'eval.json'));
    const report = { ...result, agent: manifest.agent, env: envId, envOptions: opened.env.spec.options, trainedSteps: manifest.progress.steps, where: source.where };
    await fs.writeFile(out, JSON.stringify(report, null, 2) + '\n');
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

if (require.main === module) runMain(() => main(process.argv.slice(2)).catch((err: unknown) => reportError(err)));
