/**
 * docs/protocol.md shows real messages and real bytes: its conversations are replayed against a live server and every
 * reply the page writes out in full must be what the server answers; every `hex` block must be exactly what our codec
 * writes (a request as the client encodes it, a reply byte for byte as the server sends it), with the byte count the
 * page states.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { decode, encode } from '@rlfs/protocol';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { parseBlocks, parseConversation, parseHex } from '../src';
import type { ConversationLine, DocBlock } from '../src';

const PAGE = resolve(__dirname, '../../../docs/protocol.md');
const markdown = readFileSync(PAGE, 'utf8');
const blocks = parseBlocks(markdown);
const conversations = blocks.filter((b) => b.lang === 'text' && parseConversation(b.text).some((l) => l.direction === '->'));
const hexBlocks = blocks.filter((b) => b.lang === 'hex');

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
});
afterAll(() => server.close());

/** Sends the page's requests on one connection, as they are written, and returns the reply frames in order. */
async function replay(lines: readonly ConversationLine[]): Promise<Uint8Array[]> {
  const requests = lines.filter((l) => l.direction === '->').map((l) => {
    if (!l.message) throw new Error(`a request the page abbreviates cannot be sent: ${l.json}`);
    return l.message;
  });
  const expected = requests.filter((r) => r.type !== 'telemetry').length;
  const socket = new WebSocket(server.url);
  const replies: Uint8Array[] = [];
  await new Promise<void>((done, fail) => {
    socket.on('error', fail);
    socket.on('message', (data: Buffer) => {
      replies.push(new Uint8Array(data));
      if (replies.length === expected) done();
    });
    socket.on('open', () => {
      for (const r of requests) socket.send(encode(r));
    });
  });
  socket.close();
  return replies;
}

/** The conversation block nearest before `block`. */
function conversationBefore(block: DocBlock): DocBlock {
  const before = conversations.filter((c) => c.line < block.line);
  if (before.length === 0) throw new Error(`docs/protocol.md:${block.line}: no conversation before this hex block`);
  return before[before.length - 1]!;
}

/** The page's `"..."` strings stand for any text (an error's sentence, say). */
function withWildcards(value: unknown): unknown {
  if (value === '...') return expect.any(String);
  if (Array.isArray(value)) return value.map(withWildcards);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withWildcards(v)]));
  return value;
}

test('the page has its worked examples', () => {
  expect(conversations.length).toBeGreaterThanOrEqual(2);
  expect(hexBlocks.length).toBeGreaterThanOrEqual(2);
});

test.each(conversations.map((c) => [c.line, c] as const))('the conversation at line %i is what our server answers', async (_line, block) => {
  const lines = parseConversation(block.text);
  const replies = (await replay(lines)).map((bytes) => decode(bytes) as Record<string, unknown>);
  const shown = lines.filter((l) => l.direction === '<-');
  let checked = 0;
  for (const line of shown) {
    // A reply is matched to the one with its id; one shown without an id, to the first reply without one.
    const id = line.message ? line.message.id : /"id":(\d+)/.exec(line.json)?.[1];
    const actual = replies.find((r) => String(r.id) === String(id));
    expect({ shown: line.json, actual: actual !== undefined }).toEqual({ shown: line.json, actual: true });
    if (!line.message) continue;
    expect(actual).toEqual(withWildcards(line.message));
    checked++;
  }
  if (shown.length > 0) expect(checked).toBeGreaterThanOrEqual(Math.ceil(shown.length / 2));
});

test.each(hexBlocks.map((b) => [b.line, b] as const))('the bytes at line %i are what our codec writes', async (_line, block) => {
  const bytes = parseHex(block.text);
  const message = decode(bytes) as Record<string, unknown>;
  expect(Buffer.from(encode(message)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));

  // The count the page states just before the block ("... is these 54 bytes").
  const prose = markdown.split('\n').slice(0, block.line - 1).slice(-8).join(' ');
  const stated = [...prose.matchAll(/these (\d+) bytes/g)].pop();
  expect(stated && Number(stated[1])).toBe(bytes.length);

  const lines = parseConversation(conversationBefore(block).text);
  const request = lines.find((l) => l.direction === '->' && l.message && JSON.stringify(l.message) === JSON.stringify(message));
  if (request) {
    // A request: the client's bytes for the message the page shows, keys in the page's order.
    expect(Buffer.from(encode(request.message!)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    return;
  }
  const replies = await replay(lines);
  const reply = replies.find((r) => (decode(r) as Record<string, unknown>).id === message.id);
  expect(reply && Buffer.from(reply).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
});
