/**
 * `npm run bench:learn`: how fast each agent learns. For each agent, case and seed, the environment steps and
 * training seconds until greedy success reaches 95% on GridWorld-v0, or the greedy mean return reaches 475 on
 * CartPole-v1 (recipes/cartpole-dqn.json), evaluated every few thousand steps on 100 episodes; the median over
 * seeds, the TFJS backend, and DQN training updates per second. Writes tools/bench/results/learn-latest.json.
 * Flags: --seeds N (default 5), --quick (2 seeds, 5x5 only), --backend node|wasm|cpu (default auto).
 * --family: instead, DQN's defaults on the GridWorld family (learn/family.ts: sizes 5-8, walls or wrap, 10%
 * obstacles, grid/onehot/coords; 3 seeds; bar 90% and gap <= 1 within 60,000 steps), printed as a table and written
 * to learn-family.json. Probing: --only AGENT[:LABEL-PREFIX] (e.g. dqn:8x8, "dqn:6x6 walls"), --options JSON (agent
 * options over the case's), --env-options JSON (environment options over the case's), --num-envs N, --every S,
 * --max-steps S, --first-seed K (seeds K, K+1, ...); a probe writes learn-probe.json (learn-family-probe.json).
 * LEARN_VERBOSE=1 prints every evaluation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, isBackendName, loadRecipe } from '@rlfs/agents';
import { measure, SUCCESS_BAR, EVAL_EPISODES } from './learn/measure';
import type { LearnCase, LearnRun } from './learn/measure';
import { dqnUpdatesPerSecond } from './learn/updates';
import { familyCases, familyRow, familyTable, FAMILY_BAR, FAMILY_MAX_GAP, FAMILY_MAX_STEPS } from './learn/family';
import type { FamilyRow } from './learn/family';

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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const family = args.includes('--family');
  const seedsAt = args.indexOf('--seeds');
  const seedCount = seedsAt >= 0 ? Number(args[seedsAt + 1]) : quick ? 2 : family ? 3 : 5;
  const backendAt = args.indexOf('--backend');
  const wanted = backendAt >= 0 ? args[backendAt + 1] : 'auto';
  if (wanted !== 'auto' && !isBackendName(wanted)) throw new Error(`--backend must be node, wasm or cpu, got ${wanted}`);
  const backend = await initBackend(wanted === 'auto' ? 'auto' : wanted);
  const firstAt = args.indexOf('--first-seed');
  const first = firstAt >= 0 ? Number(args[firstAt + 1]) : 1;
  const seeds = Array.from({ length: seedCount }, (_, i) => i + first);
  const log = (line: string): void => void process.stdout.write(line + '\n');
  log(`bench:learn on ${backend}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; bar ${SUCCESS_BAR * 100}% greedy success (GridWorld) or mean return 475 (CartPole) on ${EVAL_EPISODES} greedy episodes; seeds ${seeds.join(' ')}`);
  const updates = await dqnUpdatesPerSecond();
  log(`dqn: ${updates.toFixed(0)} training updates/s (batch 64, default network)`);
  // Probing: --only AGENT[:LABEL-PREFIX] keeps matching cases; --options JSON and --num-envs N override theirs.
  const onlyAt = args.indexOf('--only');
  const [onlyAgent, onlyLabel] = onlyAt >= 0 ? args[onlyAt + 1]!.split(':') : [];
  const optionsAt = args.indexOf('--options');
  const override = optionsAt >= 0 ? (JSON.parse(args[optionsAt + 1]!) as Record<string, unknown>) : undefined;
  const envAt = args.indexOf('--env-options');
  const envOverride = envAt >= 0 ? (JSON.parse(args[envAt + 1]!) as Record<string, unknown>) : undefined;
  const envsAt = args.indexOf('--num-envs');
  const maxAt = args.indexOf('--max-steps');
  const everyAt = args.indexOf('--every');
  const cases = (family ? familyCases() : CASES).filter((k) => (!quick || k.label === '5x5') && (!onlyAgent || k.agent === onlyAgent) && (!onlyLabel || k.label.startsWith(onlyLabel))).map((k) => ({
    ...k,
    ...(override ? { agentOptions: { ...k.agentOptions, ...override } } : {}),
    ...(envOverride ? { envOptions: { ...k.envOptions, ...envOverride }, label: `${k.label} ${JSON.stringify(envOverride)}` } : {}),
    ...(envsAt >= 0 ? { numEnvs: Number(args[envsAt + 1]) } : {}),
    ...(everyAt >= 0 ? { every: Number(args[everyAt + 1]) } : {}),
    ...(maxAt >= 0 ? { maxSteps: Number(args[maxAt + 1]) } : {}),
  }));
  const results = [];
  const rows: FamilyRow[] = [];
  for (const c of cases) {
    const settings = c.agentOptions || c.numEnvs ? ` with ${JSON.stringify(c.agentOptions ?? {})}${c.numEnvs ? `, ${c.numEnvs} envs` : ''}` : '';
    log(`${c.agent} on ${c.label}${settings}:`);
    const runs: LearnRun[] = [];
    for (const seed of seeds) runs.push(await measure(c, seed, log));
    const summary = { agent: c.agent, case: c.label, envOptions: c.envOptions, agentOptions: c.agentOptions ?? {}, numEnvs: c.numEnvs ?? 1, evalEvery: c.every, maxSteps: c.maxSteps, reached: runs.filter((r) => r.steps !== null).length, medianSteps: median(runs.map((r) => r.steps)), medianSeconds: median(runs.map((r) => r.seconds)), runs };
    log(`  median: ${summary.medianSteps ?? 'not reached'} steps, ${summary.medianSeconds ?? '-'} s (${summary.reached}/${runs.length} seeds reached the bar)`);
    results.push(summary);
    if (family) rows.push(familyRow(c.label, runs, median));
  }
  if (family) log(`\nDQN defaults on the GridWorld family (median over ${seeds.length} seeds; bar ${FAMILY_BAR * 100}% greedy success, gap <= ${FAMILY_MAX_GAP}, within ${FAMILY_MAX_STEPS} steps):\n${familyTable(rows)}`);
  // A probe (filtered or overridden cases) does not replace the full run's results.
  const probe = onlyAt >= 0 || envAt >= 0 || optionsAt >= 0 || envsAt >= 0 || maxAt >= 0 || firstAt >= 0;
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

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
