/**
 * `npx tsx tools/scripts/scripted-demos.ts [--options JSON] [--episodes 10] [--seed S] --out FILE.jsonl`: stands in
 * for a person on /play when a measurement needs demonstrations that can be made again: a scripted player that
 * always takes a shortest path to the goal (a breadth-first search over the board, obstacles and wrap edges
 * included) on GridWorld-v0, recorded by the same recorder /play uses (`@rlfs/viewer/demos`), so the file has
 * exactly the format of a download. Observations are handed over as plain lists, as the wire's plain encoding does.
 */
import { defineCommand, defineFlags, runMain } from '@rlfs/cli';
import { makeEnv } from '@rlfs/envs';
import { writeFileDurable } from '@rlfs/agents';
import { DemoRecorder } from '@rlfs/viewer/demos';

const FLAGS = defineFlags({
  options: { type: 'json', default: {}, placeholder: 'JSON', doc: 'GridWorld-v0 options (the run that takes the demonstrations must use the same)' },
  episodes: { type: 'int', default: 10, min: 1, max: 100_000, placeholder: 'K', doc: 'episodes to play' },
  seed: { type: 'int', default: 123, min: 0, placeholder: 'S', doc: 'seeds the first reset (the boards played)' },
  out: { type: 'string', required: true, placeholder: 'FILE.jsonl', doc: 'the demonstrations file to write' },
});

const COMMAND = defineCommand({
  name: 'npx tsx tools/scripts/scripted-demos.ts',
  usage: '--out FILE.jsonl [options]',
  description: 'Writes demonstrations of a shortest-path player on GridWorld-v0, in /play\'s download format.',
  flags: FLAGS,
});

type Cell = [number, number];
interface Board { size: number; agent: Cell; goal: Cell; obstacles: Cell[] }
const MOVES: readonly Cell[] = [[-1, 0], [1, 0], [0, -1], [0, 1]]; // up, down, left, right: actions 0-3

async function main(argv: readonly string[]): Promise<number> {
  const flags = COMMAND.parse(argv);
  const env = makeEnv('GridWorld-v0', flags.options);
  const wrap = env.spec.options.boundary === 'wrap';
  const recorder = new DemoRecorder();
  recorder.session(env.spec.id, env.spec.options);
  recorder.setRecording(true);
  let steps = 0;
  for (let k = 0; k < flags.episodes; k++) {
    const reset = env.reset(k === 0 ? { seed: flags.seed } : {});
    recorder.reset(Array.from(reset.observation));
    const shortest = reset.info.shortestPath;
    for (let length = 1; ; length++) {
      const action = firstMove(env.render('state') as Board, wrap);
      const r = env.step(action);
      recorder.record(action, { ...r, observation: Array.from(r.observation) });
      steps++;
      if (r.terminated || r.truncated) {
        if (!r.terminated || length !== shortest) throw new Error(`episode ${k + 1}: ${length} steps, the shortest path is ${String(shortest)}: the script is wrong`);
        break;
      }
    }
  }
  env.close();
  await writeFileDurable(flags.out, recorder.toJsonLines());
  process.stdout.write(`${recorder.count} transitions in ${recorder.episodes} episodes (${(steps / flags.episodes).toFixed(1)} steps per episode, each a shortest path) on GridWorld-v0 ${JSON.stringify(env.spec.options)}\nwritten: ${flags.out}\n`);
  return 0;
}

/** The first action of a shortest path from the agent to the goal (breadth-first search back from the goal). */
function firstMove(board: Board, wrap: boolean): number {
  const { size } = board;
  const blocked = new Set(board.obstacles.map(([r, c]) => r * size + c));
  const dist = new Int32Array(size * size).fill(-1);
  const goal = board.goal[0] * size + board.goal[1];
  dist[goal] = 0;
  const queue = [goal];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head]!;
    for (const next of neighbours(at, size, wrap)) {
      if (dist[next] !== -1 || blocked.has(next)) continue;
      dist[next] = dist[at]! + 1;
      queue.push(next);
    }
  }
  const here = board.agent[0] * size + board.agent[1];
  const moves = neighbours(here, size, wrap);
  // The first action (in the order up, down, left, right) whose cell is one move nearer the goal.
  const best = moves.findIndex((cell) => cell !== here && !blocked.has(cell) && dist[cell] === dist[here]! - 1);
  if (best < 0) throw new Error(`no path from ${JSON.stringify(board.agent)} to the goal ${JSON.stringify(board.goal)}`);
  return best;
}

/** The cell each action leads to (the cell itself where a wall stops it; obstacles are the caller's). */
function neighbours(cell: number, size: number, wrap: boolean): number[] {
  const r = Math.floor(cell / size);
  const c = cell % size;
  return MOVES.map(([dr, dc]) => {
    let nr = r + dr;
    let nc = c + dc;
    if (wrap) {
      nr = (nr + size) % size;
      nc = (nc + size) % size;
    } else if (nr < 0 || nc < 0 || nr >= size || nc >= size) {
      return cell;
    }
    return nr * size + nc;
  });
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)), { command: COMMAND });
