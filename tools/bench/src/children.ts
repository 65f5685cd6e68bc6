/**
 * Child processes of the benchmark (the server, the client) and the request/reply messages the bench sends them over
 * the IPC channel. Children inherit the bench's execArgv, so they load TypeScript through tsx as the bench does
 * (and write their own profile when the bench runs under `node --cpu-prof`).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** A command sent to a child: `cmd` picks the handler, the rest are its arguments. */
export interface Command {
  cmd: string;
  [arg: string]: unknown;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** One forked child answering commands; each command has a deadline so that the bench never hangs. */
export class ChildHandle {
  private readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private exited = false;

  constructor(
    readonly name: string,
    script: string,
    extraExecArgv: string[] = [],
  ) {
    this.proc = fork(script, [], { execArgv: [...process.execArgv, ...extraExecArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (raw) => this.onReply(raw as Reply));
    this.proc.on('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`${name} process exited (${signal ?? code}) with commands pending`);
      for (const entry of this.pending.values()) {
        clearTimeout(entry.timer);
        entry.reject(error);
      }
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Sends a command and resolves with the child's result, or rejects after `timeoutMs`. */
  call<T>(command: Command, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} process has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${command.cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.proc.send({ ...command, id });
    });
  }

  /** Asks the child to exit, and kills it if it has not within a second. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.send({ cmd: 'exit', id: 0 });
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 1000);
    await gone;
    clearTimeout(timer);
  }

  private onReply(reply: Reply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    clearTimeout(entry.timer);
    if (reply.ok) entry.resolve(reply.result);
    else entry.reject(new Error(`${this.name}: ${reply.error}`));
  }
}

/**
 * The child's side: calls `handlers[cmd]` for each command and sends back its result. `exit` ends the process
 * (after `onExit`).
 */
export function serveCommands(handlers: Record<string, (command: Command) => unknown>, onExit: () => Promise<void> | void = () => undefined): void {
  if (!process.send) throw new Error('this script runs as a child of the benchmark (it needs an IPC channel)');
  process.on('message', (raw) => {
    const command = raw as Command & { id: number };
    if (command.cmd === 'exit') {
      void Promise.resolve(onExit()).finally(() => process.exit(0));
      return;
    }
    const handler = handlers[command.cmd];
    if (!handler) {
      process.send!({ id: command.id, ok: false, error: `unknown command ${command.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(command))
      .then(
        (result) => process.send!({ id: command.id, ok: true, result }),
        (err: unknown) => process.send!({ id: command.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
      );
  });
  // The bench going away takes its children with it.
  process.on('disconnect', () => process.exit(0));
}
