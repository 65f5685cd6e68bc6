/** A real server on port 0 for one test file, and clients that are closed after each test. */
import { connect } from '@rlfs/protocol/node';
import type { Client } from '@rlfs/protocol';
import { startServer } from '../src';
import type { RunningServer, ServerOptions } from '../src';

export interface LiveServer {
  readonly server: RunningServer;
  /** Connects and says hello; the client is closed after the current test. */
  open(role: 'agent' | 'spectator', name?: string): Promise<Client>;
}

/** Registers the Jest hooks: the server starts before the file's tests and stops after them. */
export function useLiveServer(options: Partial<ServerOptions> = {}): LiveServer {
  let server: RunningServer | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', ...options });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => server?.close());
  return {
    get server(): RunningServer {
      if (!server) throw new Error('the live server is not started yet (use it inside a test)');
      return server;
    },
    async open(role, name) {
      const client = await connect(this.server.url, { role, ...(name ? { name } : {}) });
      clients.push(client);
      return client;
    },
  };
}
