/**
 * The terminal play client: makes a GridWorld session through the protocol client, draws it with letters and ANSI
 * colours (24-bit, 16 or none, from COLORTERM and NO_COLOR), reads the arrow keys in raw mode, and always gives the terminal back as it found it (raw mode off,
 * cursor shown, main screen) on quit, on Ctrl-C, on a signal and on an error.
 */
import { connect } from '@rlfs/protocol/node';
import type { Client, GridState, StepInfo } from '@rlfs/protocol';
import { Trail } from '../draw/trail';
import { ACTION_NAMES } from '../play/keys';
import { rewardBreakdown, rewardsOf } from '../play/reward';
import type { Rewards } from '../play/reward';
import { ANSI, colourModeFrom, renderScreen } from './ansi';
import type { ColourMode, TerminalView } from './ansi';
import { parseKeys } from './keys';

export interface TerminalPlayOptions {
  url: string;
  token?: string;
  name?: string;
  /** GridWorld options (size, boundary, obstacles, layout, maxEpisodeSteps). */
  env: Record<string, unknown>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Default: from the environment (NO_COLOR, COLORTERM), see colourModeFrom. */
  colours?: ColourMode;
}

/** Plays until the person quits; resolves with the number of episodes finished. */
export async function playInTerminal(options: TerminalPlayOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const client = await connect(options.url, { role: 'agent', name: options.name ?? 'terminal', token: options.token });
  const colours = options.colours ?? colourModeFrom(process.env);
  const terminal = takeTerminal(stdin, stdout, colours);
  try {
    return await play(client, options, stdin, (text) => stdout.write(text), colours);
  } finally {
    terminal.restore();
    await client.close().catch(() => undefined);
  }
}

/** Raw mode, alternate screen, hidden cursor; `restore` undoes all of it once, and also runs on exit and signals. */
export function takeTerminal(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream, colours: ColourMode = 'truecolor'): { restore(): void } {
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  stdout.write(ANSI.altScreen + ANSI.hideCursor + ANSI.clear);
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    stdout.write((colours === 'none' ? '' : ANSI.reset) + ANSI.showCursor + ANSI.mainScreen);
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
    stdin.pause();
    process.off('exit', restore);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
  const onSignal = (): void => {
    restore();
    process.exit(130);
  };
  process.on('exit', restore);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return { restore };
}

async function play(client: Client, options: TerminalPlayOptions, stdin: NodeJS.ReadStream, write: (s: string) => void, colours: ColourMode): Promise<number> {
  const made = await client.make({ env: 'GridWorld-v0', options: { observation: 'coords', ...options.env } });
  const o = made.spec.options;
  const env = { rewards: rewardsOf(o) as Rewards, size: Number(o.size), boundary: (o.boundary === 'wrap' ? 'wrap' : 'walls') as 'walls' | 'wrap' };
  const trail = new Trail(24);
  let view: TerminalView;
  let episodes = 0;

  const newEpisode = async (result?: string): Promise<void> => {
    const reset = await client.reset();
    const state = (await client.render('state')).frame as GridState;
    trail.clear();
    trail.push(state.agent);
    view = {
      state, boundary: env.boundary, trail: trail.cells(), session: made.session, episode: episodes + 1, step: 0,
      maxSteps: made.spec.maxEpisodeSteps, returnSoFar: 0, shortestPath: (reset.info as StepInfo).shortestPath, result,
    };
    write(renderScreen(view, colours));
  };

  const move = async (action: number): Promise<void> => {
    const before = view.state.agent;
    const r = await client.step(action);
    const info = r.info as StepInfo;
    const reward = r.reward as number;
    const state = { ...view.state, agent: info.agent ?? before, goal: info.goal ?? view.state.goal };
    trail.push(state.agent);
    const parts = rewardBreakdown(env, { before, after: state.agent, goal: state.goal, hitWall: info.hitWall === true, reached: r.terminated === true });
    view = { ...view, state, trail: trail.cells(), step: view.step + 1, returnSoFar: view.returnSoFar + reward, last: { action: ACTION_NAMES[action]!, reward, parts } };
    write(renderScreen(view, colours));
    if (r.terminated || r.truncated) {
      episodes++;
      const ret = info.episode?.return ?? view.returnSoFar;
      const result = r.terminated
        ? `Episode ${episodes}: goal reached in ${view.step} steps (shortest ${view.shortestPath ?? '?'}), return ${ret.toFixed(2)}`
        : `Episode ${episodes}: out of time after ${view.step} steps, return ${ret.toFixed(2)}`;
      write(renderScreen({ ...view, result, message: 'a new episode starts…' }, colours));
      await new Promise((resolve) => setTimeout(resolve, 700));
      await newEpisode(result);
    }
  };

  await newEpisode();
  return new Promise<number>((resolve, reject) => {
    let chain = Promise.resolve();
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      stdin.off('data', onData);
      if (err) reject(err);
      else resolve(episodes);
    };
    const onData = (chunk: string | Buffer): void => {
      for (const cmd of parseKeys(String(chunk))) {
        if (cmd.kind === 'quit') return finish();
        chain = chain.then(() => (cmd.kind === 'move' ? move(cmd.action) : newEpisode(view.result))).catch(finish);
      }
    };
    stdin.on('data', onData);
    client.onClose((info) => finish(new Error(`the server closed the connection (${info.code}${info.reason ? `: ${info.reason}` : ''})`)));
  });
}
