/**
 * One way every command ends: help on stdout and exit 0; a usage error as one line plus a hint to --help, exit 2;
 * a runtime failure as one line (the stack only with RLFS_DEBUG=1), exit 1.
 */
import { HelpRequested, UsageError } from './errors';

/** Exit codes of every command line. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export interface MainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  exit: (code: number) => void;
  env: Readonly<Record<string, string | undefined>>;
}

const PROCESS_IO: MainIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  exit: (code) => process.exit(code),
  env: process.env,
};

export interface RunMainOptions {
  /** The command whose --help a usage error thrown after parsing (e.g. two flags that exclude each other) points to. */
  command?: { readonly helpHint: string };
  /** Where output goes and how the process ends (tests replace it). */
  io?: MainIo;
}

/**
 * Runs `main` and exits with the code it returns; when it returns nothing the process lives on (a server).
 * Nothing escapes: the TensorFlow.js wasm runtime turns an unhandled rejection into a crash with a stack.
 */
export function runMain(main: () => Promise<number | void> | number | void, options: RunMainOptions = {}): Promise<void> {
  const io = options.io ?? PROCESS_IO;
  return (async () => main())().then(
    (code) => {
      if (typeof code === 'number') io.exit(code);
    },
    async (err: unknown) => {
      if (err instanceof UsageError) err.hint ??= options.command?.helpHint;
      io.exit(await reportError(err, io));
    },
  );
}

/** Prints `err` the way a user can act on it and returns the exit code. */
export async function reportError(err: unknown, io: MainIo = PROCESS_IO): Promise<number> {
  if (err instanceof HelpRequested) {
    io.stdout(await err.help());
    return EXIT.ok;
  }
  if (err instanceof UsageError) {
    io.stderr(`error: ${err.message}\n${err.hint ? `see: ${err.hint}\n` : ''}`);
    return EXIT.usage;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const debug = io.env.RLFS_DEBUG === '1';
  io.stderr(`error: ${oneLine(e)}\n${debug && e.stack ? `${e.stack}\n` : ''}`);
  return EXIT.failure;
}

/** The message, with its cause when the message does not already say it. */
function oneLine(e: Error): string {
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  const text = cause && !e.message.includes(cause) ? `${e.message}: ${cause}` : e.message;
  return text.trim() || e.name;
}
