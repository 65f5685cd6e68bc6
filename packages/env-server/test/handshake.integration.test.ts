/** The handshake of protocol 1 over real sockets: welcome, HELLO_REQUIRED, PROTOCOL_MISMATCH, the token, roles. */
import { connect } from '@rlfs/protocol/node';
import { RemoteError } from '@rlfs/protocol';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { RawSocket } from '../src/checker';

let server: RunningServer;
let secured: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
  secured = await startServer({ port: 0, host: '127.0.0.1', token: 's3cret' });
});
afterAll(async () => {
  await server.close();
  await secured.close();
});

describe('hello', () => {
  it('is answered by welcome with protocol 1, NAME/VERSION and the environment ids, echoing the id', async () => {
    const raw = await RawSocket.open(server.url);
    const reply = await raw.request({ type: 'hello', id: 7, protocol: 1, role: 'agent', name: 'tester' });
    expect(reply).toEqual({ type: 'welcome', id: 7, protocol: 1, server: expect.stringMatching(/^[^/]+\/\d+\.\d+\.\d+/), envs: expect.arrayContaining(['GridWorld-v0']) });
    await raw.close();
  });

  it('without an id gets a welcome without an id key', async () => {
    const raw = await RawSocket.open(server.url);
    const reply = await raw.request({ type: 'hello', protocol: 1, role: 'spectator' });
    expect(reply.type).toBe('welcome');
    expect('id' in reply).toBe(false);
    await raw.close();
  });

  it('names a client that gave no name (its session shows that name to spectators)', async () => {
    const agent = await connect(server.url, { role: 'agent' });
    const named = await connect(server.url, { role: 'agent', name: 'alice' });
    const a = await agent.make({ env: 'GridWorld-v0' });
    const b = await named.make({ env: 'GridWorld-v0' });
    const spectator = await connect(server.url, { role: 'spectator' });
    const list = await spectator.sessions();
    expect(list.find((s) => s.session === a.session)?.name).toMatch(/\S/);
    expect(list.find((s) => s.session === b.session)?.name).toBe('alice');
    await Promise.all([agent.close(), named.close(), spectator.close()]);
  });

  it.each([
    ['make', { type: 'make', id: 1, env: 'GridWorld-v0' }],
    ['sessions', { type: 'sessions', id: 1 }],
    ['an unknown type', { type: 'dance', id: 1 }],
    ['step without fields', { type: 'step', id: 1 }],
  ])('is required first: %s gets HELLO_REQUIRED and the connection stays open', async (_what, request) => {
    const raw = await RawSocket.open(server.url);
    expect(await raw.request(request)).toEqual({ type: 'error', id: 1, code: 'HELLO_REQUIRED', message: expect.stringMatching(/\S/) });
    expect((await raw.request({ type: 'hello', id: 2, protocol: 1, role: 'agent' })).type).toBe('welcome');
    await raw.close();
  });

  it('is not needed for telemetry, which is dropped before hello without any reply', async () => {
    const raw = await RawSocket.open(server.url);
    raw.send({ type: 'telemetry', id: 1, metrics: { loss: 1 } });
    raw.send({ type: 'telemetry', id: 2, metrics: 'nonsense' });
    raw.send({ type: 'telemetry' });
    const reply = await raw.request({ type: 'hello', id: 3, protocol: 1, role: 'agent' });
    expect(reply).toMatchObject({ type: 'welcome', id: 3 });
    expect(await raw.nextWithin(100)).toBeUndefined();
    await raw.close();
  });

  it.each([
    ['protocol 2', { protocol: 2 }],
    ['no protocol', {}],
    ['protocol "1"', { protocol: '1' }],
  ])('with %s gets PROTOCOL_MISMATCH, then close 1002', async (_what, fields) => {
    const raw = await RawSocket.open(server.url);
    expect(await raw.request({ type: 'hello', id: 4, role: 'agent', ...fields })).toMatchObject({ type: 'error', id: 4, code: 'PROTOCOL_MISMATCH' });
    expect((await raw.closed).code).toBe(1002);
  });

  it('checks protocol before the token and the token before the role', async () => {
    let raw = await RawSocket.open(secured.url);
    expect(await raw.request({ type: 'hello', id: 1, protocol: 9, role: 'nobody' })).toMatchObject({ code: 'PROTOCOL_MISMATCH' });
    expect((await raw.closed).code).toBe(1002);
    raw = await RawSocket.open(secured.url);
    expect(await raw.request({ type: 'hello', id: 1, protocol: 1, role: 'nobody' })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await raw.closed).code).toBe(1008);
  });

  it.each([
    ['a missing token', {}],
    ['a wrong token', { token: 'guess' }],
    ['a token of the wrong type', { token: 12345 }],
    ['a token that is a prefix of the right one', { token: 's3cre' }],
  ])('with %s gets UNAUTHORIZED, then close 1008', async (_what, fields) => {
    const raw = await RawSocket.open(secured.url);
    const reply = await raw.request({ type: 'hello', id: 5, protocol: 1, role: 'agent', ...fields });
    expect(reply).toEqual({ type: 'error', id: 5, code: 'UNAUTHORIZED', message: expect.stringMatching(/\S/) });
    expect((await raw.closed).code).toBe(1008);
  });

  it('with the right token works, and the client API reports a refused one as a RemoteError', async () => {
    const client = await connect(secured.url, { role: 'agent', token: 's3cret' });
    await client.make({ env: 'GridWorld-v0' });
    expect((await client.reset({ seed: 1 })).type).toBe('reset_result');
    await client.close();
    const refused = connect(secured.url, { role: 'agent', token: 'nope' });
    await expect(refused).rejects.toBeInstanceOf(RemoteError);
    await expect(refused).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('with a bad role gets BAD_REQUEST and the connection stays open for a good hello', async () => {
    const raw = await RawSocket.open(server.url);
    expect(await raw.request({ type: 'hello', id: 1, protocol: 1, role: 'admin' })).toMatchObject({ type: 'error', id: 1, code: 'BAD_REQUEST' });
    expect(await raw.request({ type: 'hello', id: 2, protocol: 1 })).toMatchObject({ type: 'error', id: 2, code: 'BAD_REQUEST' });
    expect(await raw.request({ type: 'hello', id: 3, protocol: 1, role: 'spectator' })).toMatchObject({ type: 'welcome', id: 3 });
    await raw.close();
  });

  it('a second time gets BAD_REQUEST and changes nothing (the role stays)', async () => {
    const raw = await RawSocket.hello(server.url, 'agent');
    expect(await raw.request({ type: 'hello', id: 9, protocol: 1, role: 'spectator' })).toMatchObject({ type: 'error', id: 9, code: 'BAD_REQUEST' });
    expect(await raw.request({ type: 'sessions', id: 10 })).toMatchObject({ type: 'error', id: 10, code: 'WRONG_ROLE' });
    expect(await raw.request({ type: 'make', id: 11, env: 'GridWorld-v0' })).toMatchObject({ type: 'made', id: 11 });
    await raw.close();
  });
});
