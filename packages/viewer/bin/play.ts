/**
 * `npm run play -- [--url ws://HOST:PORT/ws] [--size N] [--boundary walls|wrap] [--obstacles K] [--layout A..,...,..G]`:
 * plays GridWorld in the terminal against a running server (`npm start` or `npm run server`).
 */
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { playInTerminal } from '../src/terminal/play-terminal';

const PLAY_COMMAND = defineCommand({
  name: 'npm run play',
  description: `Plays GridWorld-v0 in this terminal with the arrow keys (or WASD) on a running server
(start one with \`npm start\` or \`npm run server\`). r starts a new episode, q quits.`,
  flags: defineFlags({
    url: { type: 'string', env: 'RLFS_URL', default: 'ws://127.0.0.1:8080/ws', placeholder: 'URL', doc: 'server WebSocket' },
    token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: "the server's token" },
    name: { type: 'string', placeholder: 'NAME', defaultText: 'terminal', doc: "the session's name shown to spectators" },
    size: { type: 'int', min: 2, max: 64, placeholder: 'N', defaultText: '5', doc: 'grid side' },
    boundary: { type: 'string', choices: ['walls', 'wrap'], placeholder: 'B', defaultText: 'walls', doc: 'what the edge of the grid is' },
    obstacles: { type: 'int', min: 0, placeholder: 'K', defaultText: '0', doc: 'random obstacles per episode' },
    layout: { type: 'string', placeholder: 'ROWS', doc: 'fixed map, rows separated by commas, e.g. A..,.#.,..G (sets the size)' },
    'max-steps': { type: 'int', min: 1, placeholder: 'N', defaultText: '100', doc: 'steps before an episode is truncated' },
  }),
});

void runMain(async () => {
  const flags = PLAY_COMMAND.parse(process.argv.slice(2));
  if (!process.stdin.isTTY) throw new UsageError('npm run play needs an interactive terminal (stdin is not a TTY)');
  const env: Record<string, unknown> = {};
  if (flags.layout) env.layout = flags.layout.split(',').map((row) => row.trim());
  else {
    if (flags.size !== undefined) env.size = flags.size;
    if (flags.obstacles !== undefined) env.obstacles = flags.obstacles;
  }
  if (flags.boundary) env.boundary = flags.boundary;
  if (flags['max-steps'] !== undefined) env.maxEpisodeSteps = flags['max-steps'];
  const { url } = flags;
  try {
    const episodes = await playInTerminal({ url, token: flags.token, name: flags.name, env });
    console.log(`bye: ${episodes} episode${episodes === 1 ? '' : 's'} played`);
    return 0;
  } catch (err) {
    const message = (err as Error).message;
    if (!/could not connect|ECONNREFUSED|1006/.test(message)) throw err;
    throw new Error(`${message}; is a server running at ${url}? start one with: npm start`);
  }
}, { command: PLAY_COMMAND });
