/**
 * `npm run play -- [--url ws://HOST:PORT/ws] [--size N] [--boundary walls|wrap] [--obstacles K] [--layout A..,...,..G]`:
 * plays GridWorld in the terminal against a running server (`npm start` or `npm run server`).
 */
import { parseArgs } from 'node:util';
import { playInTerminal } from '../src/terminal/play-terminal';

const HELP = `usage: npm run play -- [options]

Plays GridWorld-v0 in this terminal with the arrow keys (or WASD) on a running server
(start one with \`npm start\` or \`npm run server\`). r starts a new episode, q quits.

options:
  --url URL            server WebSocket (default $RLFS_URL or ws://127.0.0.1:8080/ws)
  --token T            the server's token (default $RLFS_TOKEN)
  --name NAME          the session's name shown to spectators (default terminal)
  --size N             grid side, 2..64 (default 5)
  --boundary B         walls or wrap (default walls)
  --obstacles K        random obstacles per episode (default 0)
  --layout ROWS        fixed map, rows separated by commas, e.g. A..,.#.,..G (sets the size)
  --max-steps N        steps before an episode is truncated (default 100)
  --help               print this help`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' }, size: { type: 'string' }, boundary: { type: 'string' },
        obstacles: { type: 'string' }, layout: { type: 'string' }, 'max-steps': { type: 'string' }, help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) return void console.log(HELP);
  if (!process.stdin.isTTY) {
    console.error('error: npm run play needs an interactive terminal (stdin is not a TTY)');
    process.exit(2);
  }
  const env: Record<string, unknown> = {};
  const int = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n)) {
      console.error(`error: --${flag}: expected an integer, got ${JSON.stringify(raw)}`);
      process.exit(2);
    }
    return n;
  };
  if (values.layout) env.layout = values.layout.split(',').map((row) => row.trim());
  else {
    if (values.size !== undefined) env.size = int('size', values.size);
    if (values.obstacles !== undefined) env.obstacles = int('obstacles', values.obstacles);
  }
  if (values.boundary) env.boundary = values.boundary;
  if (values['max-steps'] !== undefined) env.maxEpisodeSteps = int('max-steps', values['max-steps']);
  const url = values.url ?? process.env.RLFS_URL ?? 'ws://127.0.0.1:8080/ws';
  try {
    const episodes = await playInTerminal({ url, token: values.token ?? (process.env.RLFS_TOKEN || undefined), name: values.name, env });
    console.log(`bye: ${episodes} episode${episodes === 1 ? '' : 's'} played`);
    process.exit(0);
  } catch (err) {
    const message = (err as Error).message;
    const hint = /could not connect|ECONNREFUSED|1006/.test(message) ? `\nis a server running at ${url}? start one with: npm start` : '';
    console.error(`error: ${message}${hint}`);
    process.exit(1);
  }
}

void main();
