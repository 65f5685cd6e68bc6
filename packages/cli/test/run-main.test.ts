import { defineCommand, defineFlags, EXIT, runMain, UsageError } from '../src';
import type { MainIo } from '../src';

function io(env: Record<string, string> = {}): MainIo & { out: string; err: string; code: number | undefined } {
  const state = {
    out: '',
    err: '',
    code: undefined as number | undefined,
    env,
    stdout: (t: string) => void (state.out += t),
    stderr: (t: string) => void (state.err += t),
    exit: (c: number) => void (state.code = c),
  };
  return state;
}

const command = defineCommand({ name: 'npm run server', description: 'Serves.', flags: defineFlags({ port: { type: 'int', min: 0, max: 65535, default: 8080, doc: 'port' } }) });

describe('runMain', () => {
  it('exits with the code main returns, and not at all when it returns nothing', async () => {
    const a = io();
    await runMain(() => 3, { io: a });
    expect(a.code).toBe(3);
    const b = io();
    await runMain(async () => undefined, { io: b });
    expect(b.code).toBeUndefined();
  });

  it('prints --help on stdout and exits 0', async () => {
    const a = io();
    await runMain(() => void command.parse(['--help']), { io: a });
    expect(a.code).toBe(EXIT.ok);
    expect(a.out).toBe(await command.help());
    expect(a.err).toBe('');
  });

  it('prints a usage error as one line and a hint to --help, exit 2', async () => {
    const a = io();
    await runMain(() => void command.parse(['--port', '99999']), { io: a });
    expect(a.code).toBe(2);
    expect(a.err).toBe('error: --port: expected an integer from 0 to 65535, got "99999"\nsee: npm run server -- --help\n');
    const b = io();
    await runMain(() => {
      throw new UsageError('--url and --in-process exclude each other');
    }, { io: b });
    expect(b.err).toBe('error: --url and --in-process exclude each other\n');
    expect(b.code).toBe(2);
    const c = io();
    await runMain(() => {
      throw new UsageError('--url and --in-process exclude each other');
    }, { io: c, command });
    expect(c.err).toBe('error: --url and --in-process exclude each other\nsee: npm run server -- --help\n');
  });

  it('prints a runtime failure as one line without a stack, exit 1; RLFS_DEBUG=1 adds the stack', async () => {
    const fail = async (): Promise<number> => {
      throw new Error('cannot connect to ws://127.0.0.1:9/ws: connection refused');
    };
    const a = io();
    await runMain(fail, { io: a });
    expect(a.code).toBe(1);
    expect(a.err).toBe('error: cannot connect to ws://127.0.0.1:9/ws: connection refused\n');
    const b = io({ RLFS_DEBUG: '1' });
    await runMain(fail, { io: b });
    expect(b.err).toMatch(/^error: cannot connect.*\nError: cannot connect.*\n {4}at /);
  });

  it('adds an error\'s cause when the message does not say it, and prints non-errors', async () => {
    const a = io();
    await runMain(() => {
      throw new Error('saving the checkpoint failed', { cause: new Error('ENOSPC: no space left on device') });
    }, { io: a });
    expect(a.err).toBe('error: saving the checkpoint failed: ENOSPC: no space left on device\n');
    const b = io();
    await runMain(() => Promise.reject('plain string'), { io: b });
    expect(b.err).toBe('error: plain string\n');
    expect(b.code).toBe(1);
  });
});
