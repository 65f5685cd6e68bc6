/**
 * The viewer watching a fleet (`?servers=`): one spectator client over two real servers sees both servers' sessions
 * in one list, watches a session of either by its prefixed id, hears when a server goes away (its watched session
 * ends, the other server's list goes on), and does not close while any server is left.
 */
import WebSocket from 'ws';
import { Client } from '@rlfs/protocol';
import type { SpectatorEvent, WebSocketLike } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { FleetSocket, fleetUrls } from '../src/app/fleet-socket';

let a: RunningServer;
let b: RunningServer;
const clients: Client[] = [];
beforeEach(async () => {
  a = await startServer({ port: 0, warn: () => undefined });
  b = await startServer({ port: 0, warn: () => undefined });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all([a.close(), b.close()]);
});

async function agent(server: RunningServer, name: string): Promise<{ client: Client; session: string }> {
  const client = await connect(server.url, { role: 'agent', name });
  clients.push(client);
  const { session } = await client.make({ env: 'GridWorld-v0', options: { layout: ['A.G', '...', '...'] } });
  return { client, session };
}

function fleetSpectator(urls: string[]): Promise<Client> {
  return Client.connect('fleet', { role: 'spectator', createSocket: () => new FleetSocket(urls, (url) => new WebSocket(url) as unknown as WebSocketLike) });
}

const label = (server: RunningServer): string => `127.0.0.1:${server.port}`;

it('reads ?servers= as a list of WebSocket URLs, refusing anything else', () => {
  expect(fleetUrls('?servers=ws://a:1/ws,ws://b:2/ws,ws://a:1/ws')).toEqual(['ws://a:1/ws', 'ws://b:2/ws']);
  expect(fleetUrls('?ws=ws://a/ws')).toBeUndefined();
  expect(() => fleetUrls('?servers=http://a/')).toThrow(/expected WebSocket URLs/);
});

it('merges the session lists, routes subscriptions by prefixed id, and survives a server going away', async () => {
  const one = await agent(a, 'on-a');
  const two = await agent(b, 'on-b');
  const spectator = await fleetSpectator([a.url, b.url]);
  clients.push(spectator);
  expect(spectator.welcome.server).toMatch(/^rl-from-scratch\//);
  const listed = await spectator.sessions();
  expect(listed.map((s) => [s.session, s.name]).sort()).toEqual([[`${label(a)}/${one.session}`, 'on-a'], [`${label(b)}/${two.session}`, 'on-b']].sort());

  const events: SpectatorEvent[] = [];
  spectator.onEvent((e) => events.push(e));
  const watched = `${label(b)}/${two.session}`;
  expect(await spectator.subscribe(watched)).toMatchObject({ type: 'subscribed', session: watched });
  await two.client.reset();
  await two.client.step(3);
  await two.client.step(3); // reaches the goal
  await waitFor(() => events.some((e) => e.type === 'episode'));
  expect(events.filter((e) => e.type === 'frame').map((e) => [e.session, (e as { step: number }).step])).toEqual([[watched, 0], [watched, 1], [watched, 2]]);
  expect(events.find((e) => e.type === 'episode')).toMatchObject({ session: watched, episode: 1, length: 2, terminated: true });
  await expect(spectator.subscribe('127.0.0.1:1/s1')).rejects.toMatchObject({ code: 'UNKNOWN_SESSION' });

  // server b goes away: the session watched there ends for the page, a's list goes on, the client stays open
  await b.close();
  await waitFor(() => events.some((e) => e.type === 'session_closed'));
  expect(events.find((e) => e.type === 'session_closed')).toEqual({ type: 'session_closed', session: watched });
  expect(spectator.closed).toBe(false);
  expect((await spectator.sessions()).map((s) => s.session)).toEqual([`${label(a)}/${one.session}`]);
});

it('closes only when every server is gone', async () => {
  const spectator = await fleetSpectator([a.url, b.url]);
  const closed = new Promise<number>((done) => spectator.onClose((info) => done(info.code)));
  await a.close();
  await new Promise((r) => setTimeout(r, 100));
  expect(spectator.closed).toBe(false);
  await b.close();
  expect(await closed).toBe(1001);
});

async function waitFor(test: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
