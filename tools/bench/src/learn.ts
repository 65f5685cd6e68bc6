/**
 * `npm run bench:learn`: how fast each agent learns. For each agent, case and seed, the environment steps and
 * training seconds until greedy success reaches 95% on GridWorld-v0, or the greedy mean return reaches 475 on
 * CartPole-v1 (recipes/cartpole-dqn.json), evaluated every few thousand steps on 100 episodes; the median over
 * seeds, the TFJS backend, and DQN training updates per second. Writes tools/bench/results/learn-latest.json.
 * --family: instead, DQN's defaults on the GridWorld family (learn/family.ts: sizes 5-8, walls or wrap, 10%
 * obstacles, grid/onehot/coords; 3 seeds; bar 90% and gap <= 1 within 60,000 steps), printed as a table and written
 * to learn-family.json. The flags are in LEARN_COMMAND (npm run bench:learn -- --help).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, loadRecipe, parseDemos } from '@rlfs/agents';
import { makeEnv } from '@rlfs/envs';
import { defineCommand, defineFlags, runMain, suggestion, UsageError } from '@rlfs/cli';
import { measure, SUCCESS_BAR, EVAL_EPISODES } from './learn/measure';
import type { LearnCase, LearnRun } from './learn/measure';
import { dqnUpdatesPerSecond } from './learn/updates';
import { familyCases, familyOrder, familyRow, familyTable, FAMILY_BAR, FAMILY_MAX_GAP, FAMILY_MAX_STEPS } from './learn/family';
import type { FamilyRow } from './learn/family';
import { appendResult, parseShard, readResults, runKey, storedRun } from './learn/results-file';
import type { StoredRun } from './learn/results-file';

const CARTPOLE_RECIPE = loadRecipe(path.join(__dirname, '..', '..', '..', 'recipes', 'cartpole-dqn.json'));

/** The hand-tuned 8x8 settings from before the defaults learnt 8x8 (recipes/gridworld-8x8-dqn.json). */
const GRIDWORLD_8X8_RECIPE = loadRecipe(path.join(__dirname, '..', '..', '..', 'recipes', 'gridworld-8x8-dqn.json'));

const CASES: LearnCase[] = [
  { agent: 'tabular-q', label: '5x5', envOptions: {}, every: 1000, maxSteps: 100_000 },
  { agent: 'dqn', label: '5x5', envOptions: {}, every: 500, maxSteps: 20_000 },
  { agent: 'tabular-q', label: '8x8, 6 obstacles', envOptions: { size: 8, obstacles: 6 }, every: 10_000, maxSteps: 200_000 },
  // The defaults on 8x8 (their "auto" values), and the 8x8 recipe they replace.
  { agent: 'dqn', label: '8x8, 6 obstacles', envOptions: { size: 8, obstacles: 6 }, every: 2500, maxSteps: 40_000 },
  { agent: 'dqn', label: '8x8, 6 obstacles, recipe', envOptions: GRIDWORLD_8X8_RECIPE.options ?? {}, agentOptions: GRIDWORLD_8X8_RECIPE.agentOptions ?? {}, every: 2500, maxSteps: 40_000 },
  // recipes/cartpole-dqn.json; learnt = greedy mean return >= 475 (Gymnasium's reward threshold) over 100 episodes.
  { agent: 'dqn', label: 'CartPole-v1', env: CARTPOLE_RECIPE.env!, envOptions: CARTPOLE_RECIPE.options ?? {}, agentOptions: CARTPOLE_RECIPE.agentOptions ?? {}, every: 2500, maxSteps: CARTPOLE_RECIPE.steps ?? 50_000, returnBar: 475 },
];

const LEARN_COMMAND = defineCommand({
  name: 'npm run bench:learn',
  description: `How fast each agent learns: environment steps and seconds until greedy success reaches ${SUCCESS_BAR * 100}% on GridWorld-v0,
or the greedy mean return reaches 475 on CartPole-v1, on ${EVAL_EPISODES} episodes, per agent, case and seed, and the median
over seeds. Takes minutes; writes tools/bench/results/learn-latest.json (a probe, narrowed by --only, --options,
--env-options, --num-envs, --max-steps or --first-seed, writes learn-probe.json; --family writes learn-family.json).
LEARN_VERBOSE=1 prints every evaluation.`,
  flags: defineFlags({
    seeds: { type: 'int', min: 1, placeholder: 'N', defaultText: '5 (2 with --quick, 3 with --family)', doc: 'seeds per case' },
    quick: { type: 'boolean', doc: '2 seeds, 5x5 cases only' },
    family: { type: 'boolean', doc: `instead: DQN's defaults on the GridWorld family (sizes 5-8, walls or wrap, obstacles, grid/onehot/coords), as a table` },
    backend: { type: 'string', default: 'auto', choices: ['auto', 'node', 'wasm', 'cpu'], doc: 'TensorFlow.js backend; auto tries node, wasm, cpu' },
    only: { type: 'string', placeholder: 'AGENT[:LABEL]', doc: `probe the cases of one agent (${[...new Set(CASES.map((k) => k.agent))].join(', ')}) whose label starts with LABEL, e.g. dqn:8x8` },
    options: { type: 'json', doc: "agent options over the case's" },
    'env-options': { type: 'json', doc: "environment options over the case's" },
    'num-envs': { type: 'int', min: 1, placeholder: 'N', doc: 'sub-environments of each run (vector training)' },
    every: { type: 'int', min: 1, placeholder: 'S', defaultText: "the case's", doc: 'evaluate every S steps' },
    'max-steps': { type: 'int', min: 1, placeholder: 'S', defaultText: "the case's", doc: 'give up on a seed after S steps' },
    'first-seed': { type: 'int', min: 0, placeholder: 'K', defaultText: '1', doc: 'seeds are K, K+1, ...' },
    results: { type: 'string', placeholder: 'FILE', doc: 'append each finished (case, seed) run to FILE (JSON lines, fsynced) and skip the runs already in it: an interrupted run continues where it stopped' },
    shard: { type: 'string', placeholder: 'K/N', defaultText: '0/1 (every run)', doc: 'measure every N-th run of the work list from the K-th (0-based), so that N processes sharing --results split the runs' },
    table: { type: 'boolean', doc: 'measure nothing: print the table of the runs stored in --results' },
    demos: { type: 'string', placeholder: 'FILE', doc: 'demonstrations (JSON lines, as /play records them) put in each run\'s replay buffer before it trains (dqn cases)' },
  }),
});

async function main(): Promise<void> {
  const flags = LEARN_COMMAND.parse(process.argv.slice(2));
  const { quick, family } = flags;
  const seedCount = flags.seeds ?? (quick ? 2 : family ? 3 : 5);
  const all = family ? familyCases() : CASES;
  const [onlyAgent, onlyLabel] = flags.only?.split(':') ?? [];
  const agents = all.map((k) => k.agent);
  if (onlyAgent !== undefined && !agents.includes(onlyAgent)) throw new UsageError(`--only: no case of agent ${JSON.stringify(onlyAgent)}; agents: ${[...new Set(agents)].join(', ')}${suggestion(onlyAgent, agents)}`);
  // Probing: --only AGENT[:LABEL-PREFIX] keeps matching cases; the other probe flags override theirs.
  const override = flags.options;
  const envOverride = flags['env-options'];
  const cases = all.filter((k) => (!quick || k.label === '5x5') && (!onlyAgent || k.agent === onlyAgent) && (!onlyLabel || k.label.startsWith(onlyLabel))).map((k) => ({
    ...k,
    ...(override ? { agentOptions: { ...k.agentOptions, ...override } } : {}),
    ...(envOverride ? { envOptions: { ...k.envOptions, ...envOverride }, label: `${k.label} ${JSON.stringify(envOverride)}` } : {}),
    ...(flags['num-envs'] !== undefined ? { numEnvs: flags['num-envs'] } : {}),
    ...(flags.every !== undefined ? { every: flags.every } : {}),
    ...(flags['max-steps'] !== undefined ? { maxSteps: flags['max-steps'] } : {}),
  })).map((k) => (flags.demos ? { ...k, label: `${k.label}, demos`, demos: parseDemos(readFileSync(flags.demos, 'utf8'), makeEnv(k.env ?? 'GridWorld-v0', k.envOptions).spec, flags.demos).transitions } : k));
  if (cases.length === 0) throw new UsageError(`--only ${flags.only ?? ''}: no case matches; cases: ${all.map((k) => `${k.agent}:${k.label}`).join('; ')}`);
  // --table only reads the file: no backend to load.
  const backend = flags.table ? 'none' : await initBackend(flags.backend);
  const first = flags['first-seed'] ?? 1;
  const seeds = Array.from({ length: seedCount }, (_, i) => i + first);
  const log = (line: string): void => void process.stdout.write(line + '\n');
  log(`bench:learn on ${backend}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; bar ${family ? `${FAMILY_BAR * 100}% greedy success and gap <= ${FAMILY_MAX_GAP}` : `${SUCCESS_BAR * 100}% greedy success (GridWorld) or mean return 475 (CartPole)`} on ${EVAL_EPISODES} greedy episodes; seeds ${seeds.join(' ')}`);
  const updates = flags.table ? 0 : await dqnUpdatesPerSecond();
  if (!flags.table) log(`dqn: ${updates.toFixed(0)} training updates/s (batch 64, default network)`);
  const resultsFile = flags.results;
  if (flags.table && resultsFile === undefined) throw new UsageError('--table prints the runs stored in --results FILE: give --results');
  const stored = resultsFile ? readResults(resultsFile) : undefined;
  if (stored?.torn) log(`${resultsFile}: its last line was cut short (a killed run); ignored`);
  const shard = parseShard(flags.shard);
  const work = family ? familyOrder(cases, seeds) : cases.flatMap((c) => seeds.map((seed) => ({ c, seed })));
  const measured = new Map<string, LearnRun>();
  const isStored = (c: LearnCase, seed: number): boolean => stored !== undefined && storedRun(readResults(resultsFile!).runs, c, seed) !== undefined;
  const pending = work.filter(({ c, seed }, i) => i % shard.of === shard.index && !(stored && storedRun(stored.runs, c, seed)));
  if (stored) log(`${resultsFile}: ${stored.runs.length} runs stored${flags.table ? '' : `; ${pending.length} of ${work.length} to measure${shard.of > 1 ? ` (shard ${shard.index}/${shard.of})` : ''}`}`);
  for (const { c, seed } of flags.table ? [] : pending) {
    // Another process sharing the file (another --shard) may have stored it since this one started.
    if (isStored(c, seed)) continue;
    const settings = c.agentOptions || c.numEnvs ? ` with ${JSON.stringify(c.agentOptions ?? {})}${c.numEnvs ? `, ${c.numEnvs} envs` : ''}` : '';
    log(`${c.agent} on ${c.label}${settings}, seed ${seed}:`);
    const run = await measure(c, seed, log);
    measured.set(runKey(c, seed), run);
    if (resultsFile) appendResult(resultsFile, { key: runKey(c, seed), agent: c.agent, case: c.label, envOptions: c.envOptions, agentOptions: c.agentOptions ?? {}, ...run, date: new Date().toISOString(), backend, loadAverage: os.loadavg()[0]! });
  }
  // Everything done so far, by this process or any other that shares the file.
  const storedNow = resultsFile ? readResults(resultsFile).runs : [];
  const done = new Map<LearnCase, Array<LearnRun | StoredRun>>(cases.map((c) => [c, []]));
  for (const { c, seed } of work) {
    const run = measured.get(runKey(c, seed)) ?? storedRun(storedNow, c, seed);
    if (run) done.get(c)!.push(run);
  }
  const results = [];
  const rows: FamilyRow[] = [];
  for (const c of cases) {
    const runs = done.get(c)!.sort((a, b) => a.seed - b.seed);
    const summary = { agent: c.agent, case: c.label, envOptions: c.envOptions, agentOptions: c.agentOptions ?? {}, numEnvs: c.numEnvs ?? 1, evalEvery: c.every, maxSteps: c.maxSteps, reached: runs.filter((r) => r.steps !== null).length, medianSteps: median(runs.map((r) => r.steps)), medianSeconds: median(runs.map((r) => r.seconds)), runs };
    if (!family) log(`${c.agent} on ${c.label}: median ${summary.medianSteps ?? 'not reached'} steps, ${summary.medianSeconds ?? '-'} s (${summary.reached}/${runs.length} seeds reached the bar)`);
    results.push(summary);
    if (family) rows.push(familyRow(c.label, runs, median));
  }
  if (family) log(`\nDQN defaults on the GridWorld family (median over the seeds done, range in brackets; bar ${FAMILY_BAR * 100}% greedy success, gap <= ${FAMILY_MAX_GAP}, within ${FAMILY_MAX_STEPS} steps):\n${familyTable(rows)}`);
  if (flags.table) return;
  // A probe (filtered or overridden cases) does not replace the full run's results.
  const probe = [flags.only, flags.options, envOverride, flags['num-envs'], flags.every, flags['max-steps'], flags['first-seed'], flags.demos].some((v) => v !== undefined);
  const out = path.join(__dirname, '..', 'results', family ? (probe ? 'learn-family-probe.json' : 'learn-family.json') : probe ? 'learn-probe.json' : 'learn-latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const report = { date: new Date().toISOString(), backend, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg()[0], successBar: SUCCESS_BAR, evalEpisodes: EVAL_EPISODES, seeds, dqnUpdatesPerSecond: Math.round(updates), results, ...(family ? { family: rows } : {}) };
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
