/**
 * The terminal client in a real pseudo-terminal (python3's pty module) against a real server: real key codes
 * in, ANSI screens out, and the terminal settings the same after it exits as before it started.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { ANSI, stripAnsi } from '../src/terminal/ansi';
import { announceSkip, findPython } from '../../../tools/scripts/test-python';

const ROOT = resolve(__dirname, '..');
const TSX = resolve(ROOT, '../../node_modules/.bin/tsx');
let server: RunningServer;

// The pty comes from python3's standard library: a machine without python3 skips these, saying so.
const { python, skipReason } = findPython([]);
if (skipReason) announceSkip('terminal', skipReason);
// A skipped describe's title says why: the suite's summary line (tools/scripts/test-summary.ts) repeats it.
const describeWithPython = python ? describe : describe.skip;

beforeAll(async () => {
  server = await startServer({ port: 0, warn: () => undefined });
});
afterAll(() => server?.close());

function runInPty(url: string, args: string, env: Record<string, string | undefined> = { COLORTERM: 'truecolor' }) {
  const command = `stty -g; echo STTY-BEFORE-DONE; ${TSX} bin/play.ts --url ${url} ${args}; echo EXIT=$?; stty -g`;
  const child = spawn(python!, [resolve(__dirname, 'pty-bridge.py'), 'sh', '-c', command], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: undefined, COLORTERM: undefined, ...env } });
  const io = { output: '' };
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    io.output += chunk.toString('utf8');
    for (const w of [...waiters]) if (w.test(io.output)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const waitFor = (test: (s: string) => boolean, what: string, ms = 15_000): Promise<void> =>
    new Promise((res, rej) => {
      if (test(io.output)) return res();
      const timer = setTimeout(() => rej(new Error(`timed out waiting for ${what}; screen so far:\n${stripAnsi(io.output).slice(-1500)}`)), ms);
      waiters.push({ test, resolve: () => (clearTimeout(timer), res()) });
    });
  const exited = new Promise<number>((res) => child.on('exit', (code) => res(code ?? -1)));
  return { io, waitFor, exited, send: (keys: string): boolean => child.stdin.write(keys) };
}

/** The terminal was handed back: cursor shown after the last hide, main screen, `stty -g` the same before and after. */
function expectRestored(output: string): void {
  const shown = output.lastIndexOf(ANSI.showCursor);
  expect(shown).toBeGreaterThan(output.lastIndexOf(ANSI.hideCursor));
  expect(output.indexOf(ANSI.mainScreen, shown)).toBeGreaterThan(0);
  const settings = stripAnsi(output).split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[0-9a-f]+(:[0-9a-f]+){10,}$/.test(l));
  expect(settings).toHaveLength(2);
  expect(settings[1]).toBe(settings[0]);
}

describeWithPython(skipReason ? `skipped: ${skipReason}` : 'the terminal client in a pty', () => {
  test('arrow keys walk to the goal in a pty; the screen shows reward and return; the terminal is restored', async () => {
    const { io, waitFor, exited, send } = runInPty(server.url, '--layout A..,...,..G --name pty-test');
    const since = (mark: number): string => stripAnsi(io.output.slice(mark));

    await waitFor((s) => s.includes('shortest path'), 'the first screen');
    expect(io.output).toContain(ANSI.hideCursor);
    expect(stripAnsi(io.output)).toContain('┏━━━━━━┓'); // a 3x3 board with walls

    let mark = io.output.length;
    send('\x1b[C'); // right
    await waitFor(() => since(mark).includes('right: reward'), 'the first step');
    expect(since(mark)).toMatch(/right: reward -0\.8\s+= step -1 \+ shaping \+0\.2/);
    expect(since(mark)).toMatch(/return -0\.8/);

    mark = io.output.length;
    send('\x1b[C');
    await waitFor(() => since(mark).includes('step 2/100'), 'the second step');
    send('\x1b[B'); // down
    await waitFor(() => since(mark).includes('step 3/100'), 'the third step');
    send('\x1bOB'); // down, application cursor mode
    await waitFor((s) => s.includes('goal reached in 4 steps'), 'the end of the episode');
    expect(stripAnsi(io.output)).toContain('Episode 1: goal reached in 4 steps (shortest 4), return 96.94');
    await waitFor(() => since(mark).includes('episode 2'), 'the next episode');

    send('q');
    expect(await exited).toBe(0);
    expect(stripAnsi(io.output)).toContain('EXIT=0');
    expect(stripAnsi(io.output)).toContain('bye: 1 episode played');
    expectRestored(io.output);
  });

  test('when the server goes away mid-game the client exits with an error and still restores the terminal', async () => {
    const own = await startServer({ port: 0, warn: () => undefined });
    const { io, waitFor, exited } = runInPty(own.url, '--size 4 --boundary wrap');
    await waitFor((s) => s.includes('shortest path'), 'the first screen');
    expect(stripAnsi(io.output)).toContain('┌┄┄┄┄┄┄┄┄┐'); // wrap is drawn dotted
    await own.close(1001);
    expect(await exited).toBe(0); // the shell's own exit; the client's is printed
    expect(stripAnsi(io.output)).toMatch(/error: the server closed the connection \(1001/);
    expect(stripAnsi(io.output)).toContain('EXIT=1');
    expectRestored(io.output);
  });

  test('NO_COLOR: the board has letters and a legend and the screen not one colour escape; 16 colours otherwise', async () => {
    const plain = runInPty(server.url, '--layout A.#,...,..G --name no-color', { NO_COLOR: '1', COLORTERM: 'truecolor' });
    await plain.waitFor((s) => s.includes('shortest path'), 'the first screen');
    plain.send('q');
    expect(await plain.exited).toBe(0);
    expect(plain.io.output).not.toMatch(/\x1b\[[0-9;]*m/);
    const screen = stripAnsi(plain.io.output);
    for (const row of ['┃A . ##┃', '┃. . . ┃', '┃. . G ┃']) expect(screen).toContain(row);
    expect(screen).toContain('A agent  G goal  # obstacle  · trail  ┃ walls');
    expectRestored(plain.io.output);

    const sixteen = runInPty(server.url, '--layout A.#,...,..G --name sixteen', {});
    await sixteen.waitFor((s) => s.includes('shortest path'), 'the first screen');
    sixteen.send('q');
    expect(await sixteen.exited).toBe(0);
    expect(sixteen.io.output).toContain('\x1b[101;30;1mA ');
    expect(sixteen.io.output).not.toMatch(/\x1b\[(38|48);2;/);
  });
});
