/**
 * The two ways a command line ends early on purpose. `runMain` turns them into exit codes: a `UsageError` is the
 * user's mistake in the command line (exit 2), `HelpRequested` is `--help` (help on stdout, exit 0).
 */

/** A mistake in the command line: an unknown flag, a bad value, a missing or conflicting flag. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** How to see the help, e.g. "npm run server -- --help"; filled in by the parser that refused the line. */
  hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** `--help` or `-h` was given: the caller prints `help` and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
  constructor(readonly help: () => Promise<string>) {
    super('help requested');
  }
}
