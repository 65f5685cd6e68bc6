/**
 * `npm run bench:learn`: how fast each agent learns GridWorld-v0. For each agent, case and seed, the environment
 * steps and training seconds until greedy success reaches 95% (evaluated every few thousand steps on 100
 * episodes), the median over seeds, the TFJS backend, and DQN training updates per second.
 * Writes tools/bench/results/learn-latest.json; a probe of one case writes learn-probe.json. The flags are in
 * LEARN_COMMAND (npm run bench:learn -- --help).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '@rlfs/agents';
import { defineCommand, defineFlags, runMain, suggestion, UsageError } from '@rlfs/cli';
import { measure, SUCCESS_BAR, EVAL_EPISODES } from './learn/measure';
import type { LearnCase, LearnRun } from './learn/measure';
import { dqnUpdatesPerSecond } from './learn/updates';

/** DQN settings for 8x8 with random obstacles: the grid seen from the agent, slower exploration, a longer view. */
export const DQN_8X8 = { inputEncoding: 'egocentric', epsilonDecaySteps: 20_000, bufferSize: 50_000, targetUpdateInterval: 500, learningRate: 5e-4, gamma: 0.95 };

const CASES: LearnCase[] = [
  { agent: 'tabular-q', label: '5x5', envOptions: {}, every: 1000, maxSteps: 100_000 },
  { agent: 'dqn', label: '5x5', envOptions: {}, every: 500, maxSteps: 20_000 },
  { agent: 'tabular-q', label: '8x8, 6 obstacles', envOptions: { size: 8, obstacles: 6 }, every: 10_000, maxSteps: 200_000 },
  // The 8x8 recipe (docs/tutorial.md, "A bigger world"): the 5x5 defaults do not learn it (3-13% after 40,000 steps).
  { agent: 'dqn', label: '8x8, 6 obstacles', envOptions: { size: 8, obstacles: 6 }, agentOptions: DQN_8X8, every: 2500, maxSteps: 40_000 },
];

const LEARN_COMMAND = defineCommand({
  name: 'npm run bench:learn',
  description: `How fast each agent learns GridWorld-v0: environment steps and seconds until greedy success reaches ${SUCCESS_BAR * 100}%
on ${EVAL_EPISODES} episodes, per agent, case and seed, and the median over seeds. Takes minutes; writes
tools/bench/results/learn-latest.json (a probe, narrowed by --only, --options, --num-envs, --max-steps or
--first-seed, writes learn-probe.json). LEARN_VERBOSE=1 prints every evaluation.`,
  flags: defineFlags({
    seeds: { type: 'int', min: 1, placeholder: 'N', defaultText: '5 (2 with --quick)', doc: 'seeds per case' },
    quick: { type: 'boolean', doc: '2 seeds, 5x5 cases only' },
    backend: { type: 'string', default: 'auto', choices: ['auto', 'node', 'wasm', 'cpu'], doc: 'TensorFlow.js backend; auto tries node, wasm, cpu' },
    only: { type: 'string', placeholder: 'AGENT[:LABEL]', doc: `probe the cases of one agent (${[...new Set(CASES.map((k) => k.agent))].join(', ')}) whose label starts with LABEL, e.g. dqn:8x8` },
    options: { type: 'json', doc: "agent options over the case's" },
    'num-envs': { type: 'int', min: 1, placeholder: 'N', doc: 'sub-environments of each run (vector training)' },
    'max-steps': { type: 'int', min: 1, placeholder: 'S', defaultText: "the case's", doc: 'give up on a seed after S steps' },
    'first-seed': { type: 'int', min: 0, placeholder: 'K', defaultText: '1', doc: 'seeds are K, K+1, ...' },
  }),
});

async function main(): Promise<void> {
  const flags = LEARN_COMMAND.parse(process.argv.slice(2));
  const quick = flags.quick;
  const seedCount = flags.seeds ?? (quick ? 2 : 5);
  const [onlyAgent, onlyLabel] = flags.only?.split(':') ?? [];
  const agents = CASES.map((k) => k.agent);
  if (onlyAgent !== undefined && !agents.includes(onlyAgent)) throw new UsageError(`--only: no case of agent ${JSON.stringify(onlyAgent)}; agents: ${[...new Set(agents)].join(', ')}${suggestion(onlyAgent, agents)}`);
  // Probing: --only AGENT[:LABEL-PREFIX] keeps matching cases; --options JSON and --num-envs N override theirs.
  const override = flags.options;
  const cases = CASES.filter((k) => (!quick || k.label === '5x5') && (!onlyAgent || k.agent === onlyAgent) && (!onlyLabel || k.label.startsWith(onlyLabel))).map((k) => ({
    ...k,
    ...(override ? { agentOptions: { ...k.agentOptions, ...override } } : {}),
    ...(flags['num-envs'] !== undefined ? { numEnvs: flags['num-envs'] } : {}),
    ...(flags['max-steps'] !== undefined ? { maxSteps: flags['max-steps'] } : {}),
  }));
  if (cases.length === 0) throw new UsageError(`--only ${flags.only ?? ''}: no case matches; cases: ${CASES.map((k) => `${k.agent}:${k.label}`).join('; ')}`);
  const backend = await initBackend(flags.backend);
  const first = flags['first-seed'] ?? 1;
  const seeds = Array.from({ length: seedCount }, (_, i) => i + first);
  const log = (line: string): void => void process.stdout.write(line + '\n');
  log(`bench:learn on ${backend}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; bar ${SUCCESS_BAR * 100}% greedy success on ${EVAL_EPISODES} episodes; seeds ${seeds.join(' ')}`);
  const updates = await dqnUpdatesPerSecond();
  log(`dqn: ${updates.toFixed(0)} training updates/s (batch 64, default network)`);
  const results = [];
  for (const c of cases) {
    const settings = c.agentOptions || c.numEnvs ? ` with ${JSON.stringify(c.agentOptions ?? {})}${c.numEnvs ? `, ${c.numEnvs} envs` : ''}` : '';
    log(`${c.agent} on ${c.label}${settings}:`);
    const runs: LearnRun[] = [];
    for (const seed of seeds) runs.push(await measure(c, seed, log));
    const summary = { agent: c.agent, case: c.label, envOptions: c.envOptions, agentOptions: c.agentOptions ?? {}, numEnvs: c.numEnvs ?? 1, evalEvery: c.every, maxSteps: c.maxSteps, reached: runs.filter((r) => r.steps !== null).length, medianSteps: median(runs.map((r) => r.steps)), medianSeconds: median(runs.map((r) => r.seconds)), runs };
    log(`  median: ${summary.medianSteps ?? 'not reached'} steps, ${summary.medianSeconds ?? '-'} s (${summary.reached}/${runs.length} seeds reached the bar)`);
    results.push(summary);
  }
  // A probe (filtered or overridden cases) does not replace the full run's results.
  const probe = [flags.only, flags.options, flags['num-envs'], flags['max-steps'], flags['first-seed']].some((v) => v !== undefined);
  const out = path.join(__dirname, '..', 'results', probe ? 'learn-probe.json' : 'learn-latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const report = { date: new Date().toISOString(), backend, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg()[0], successBar: SUCCESS_BAR, evalEpisodes: EVAL_EPISODES, seeds, dqnUpdatesPerSecond: Math.round(updates), results };
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  log(`written: ${out}`);
}

/** The median of the values, counting "not reached" (null) as larger than any number; null if that is the median. */
function median(values: ReadonlyArray<number | null>): number | null {
  const sorted = [...values].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

void runMain(async () => {
  await main();
  return 0;
}, { command: LEARN_COMMAND });
