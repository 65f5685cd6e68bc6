/**
 * `npm run watch -- --load runs/NAME [--speed X] [--episodes K] [--url URL]`: plays a saved agent greedily through
 * an environment server, slowly enough to follow, so that the viewer shows it live. Without `--url` it starts a
 * server with the viewer (as `npm start` does, without the demo agent) and prints the viewer's URL. It plays until
 * Ctrl-C, or `--episodes K` episodes; Ctrl-C (or SIGTERM) closes the session and the server it started, and exits 0.
 */
import { defineCommand, defineFlags, runMain } from '@rlfs/cli';
import { loadEnvModules } from '@rlfs/envs/node';
import { SERVER_FLAGS, startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { remoteSource } from '@rlfs/agents';
import type { EnvLike } from '@rlfs/agents';
import { buildViewer, DIST, viewerBuildIsStale } from '../../packages/viewer/build';
import { greedyAction, readSavedRun, SAVED_AGENT_FLAGS } from './saved-agent';

export const WATCH_DEFAULTS = {
  /** Steps per second: slow enough for a person to follow each move. */
  speed: 10,
  /** Seconds between one episode's end and the next reset, so the ending stays on screen. */
  pause: 1,
} as const;

const WATCH_FLAGS = defineFlags({
  ...SAVED_AGENT_FLAGS,
  episodes: { type: 'int', min: 1, max: 10_000_000, placeholder: 'K', defaultText: 'until Ctrl-C', doc: 'stop after K greedy episodes' },
  speed: { type: 'number', default: WATCH_DEFAULTS.speed, min: 0.1, max: 10_000, placeholder: 'X', doc: 'environment steps per second' },
  pause: { type: 'number', default: WATCH_DEFAULTS.pause, min: 0, max: 60, placeholder: 'SECONDS', doc: 'wait after each episode before the next' },
  url: { type: 'string', placeholder: 'URL', defaultText: 'a server started here', doc: 'play on this server (ws://HOST:PORT/ws) instead of starting one' },
  token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: 'token of the --url server, or required by the one started here' },
  port: { ...SERVER_FLAGS.port, doc: 'port of the server started here; 0 picks a free one' },
  host: SERVER_FLAGS.host,
  name: { type: 'string', placeholder: 'NAME', defaultText: 'watch-AGENT', doc: 'the session name spectators see' },
});

const WATCH_COMMAND = defineCommand({
  name: 'npm run watch',
  usage: '--load runs/NAME [options]',
  description: 'Plays a saved agent greedily through a server, at a speed a person can follow, for the viewer to show.',
  flags: WATCH_FLAGS,
});

async function main(argv: readonly string[]): Promise<number> {
  const flags = WATCH_COMMAND.parse(argv);
  await loadEnvModules(flags['env-module'] ?? []);
  const saved = await readSavedRun(flags);
  let server: RunningServer | undefined;
  if (!flags.url) {
    if (viewerBuildIsStale()) {
      console.log('building the viewer…');
      await buildViewer({ quiet: true });
    }
    server = await startServer({ staticDir: DIST, port: flags.port, host: flags.host, ...(flags.token ? { token: flags.token } : {}) });
  }
  const url = flags.url ?? server!.url;
  const stop = { requested: false, wake: (): void => undefined };
  // A repeated signal is ignored: tsx's wrapper relays the terminal's Ctrl-C, so one press can arrive twice.
  const onSignal = (): void => {
    if (stop.requested) return;
    stop.requested = true;
    stop.wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const opened = await remoteSource({ env: saved.envId, options: saved.envOptions, url, name: flags.name ?? `watch-${saved.manifest.agent}`, encoding: 'plain', ...(flags.token ? { token: flags.token } : {}) }).open();
  let played = 0;
  try {
    const env = opened.env as EnvLike;
    const agent = await saved.load(env.spec);
    const viewer = viewerUrl(url, flags.token);
    console.log(`\n  watching ${saved.manifest.agent} (trained ${saved.manifest.progress.steps} steps) play ${saved.envId} greedily at ${flags.speed} steps/s\n\n  viewer:  ${viewer}\n  server:  ${url}${server ? ' (started here)' : ''}\n\n  Ctrl-C stops.\n`);
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      stop.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const interval = 1000 / flags.speed;
    for (let k = 0; !stop.requested && (flags.episodes === undefined || k < flags.episodes); k++) {
      let { observation } = await env.reset(k === 0 ? { seed: flags.seed } : {});
      let ret = 0;
      let length = 0;
      // Steps are paced from the episode's start, so slow steps do not add up to a slower speed.
      const start = Date.now();
      while (!stop.requested) {
        await sleep(start + (length + 1) * interval - Date.now());
        if (stop.requested) break;
        const r = await env.step(await greedyAction(agent, observation));
        ret += r.reward;
        length++;
        if (r.terminated || r.truncated) {
          played++;
          console.log(`episode ${played}: return ${ret.toFixed(2)}, ${length} steps${r.terminated ? '' : ' (truncated)'}`);
          if (flags.pause > 0 && !stop.requested && (flags.episodes === undefined || played < flags.episodes)) await sleep(flags.pause * 1000);
          break;
        }
        observation = r.observation;
      }
    }
    agent.dispose?.();
  } finally {
    await opened.close();
    await server?.close(1001);
  }
  console.log(stop.requested ? `stopped after ${played} episode(s).` : `done: ${played} episode(s).`);
  return 0;
}

/** The viewer's address for a server's WebSocket URL (same host and port, page at /). */
function viewerUrl(wsUrl: string, token: string | undefined): string {
  const u = new URL(wsUrl);
  const page = `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}/`;
  return token ? `${page}?token=${encodeURIComponent(token)}` : page;
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)), { command: WATCH_COMMAND });
