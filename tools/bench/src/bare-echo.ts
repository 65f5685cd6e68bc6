/**
 * `npx tsx tools/bench/src/bare-echo.ts`: the floors under the loopback rows, with no environment, session or client
 * library: a bare `ws` + `msgpackr` echo between two processes, against the same raw TCP echo the bench uses.
 * (1) p50 round trip of a small request and a scalar step-sized reply; (2) round trips per second of a packed
 * N = 1024 step_result (what `loopback-vector-packed` n=1024 would make if the server and client did nothing else).
 * Not part of `npm run bench`'s table: a reference for docs/performance.md.
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { connect as netConnect } from 'node:net';
import { Packr, Unpackr } from 'msgpackr';
import { WebSocket, WebSocketServer } from 'ws';
import { startEcho } from './echo';
import { nowUs, percentile } from './stats';

const N = 1024;
const OBS = 25;
const ROUNDS = 10;
const PER_ROUND = 2000;
const PACKED_TRIPS = 5000;
const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

function server(): void {
  const scalarReply = { type: 'step_result', id: 0, observation: new Array<number>(OBS).fill(0), reward: -1.04, terminated: false, truncated: false, info: { agent: [1, 2], goal: [3, 4], hitWall: false } };
  const obs = new Uint8Array(N * OBS);
  const reward = new Uint8Array(N * 8);
  const flags = new Uint8Array(N);
  const packedReply = {
    type: 'step_result',
    observation: { dtype: 'int8', shape: [N, OBS], data: obs },
    reward: { dtype: 'float64', shape: [N], data: reward },
    terminated: { dtype: 'uint8', shape: [N], data: flags },
    truncated: { dtype: 'uint8', shape: [N], data: flags },
    ended: [],
    id: 0,
  };
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  wss.on('connection', (socket) =>
    socket.on('message', (data: Buffer) => {
      const request = unpackr.unpack(data) as { id: number; action: unknown };
      const reply = typeof request.action === 'number' ? scalarReply : packedReply;
      reply.id = request.id;
      socket.send(packr.pack(reply));
    }),
  );
  wss.on('listening', async () => {
    const echo = await startEcho();
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
    const child = fork(__filename, ['client', url, String((echo.address() as AddressInfo).port)], { execArgv: process.execArgv });
    child.on('exit', (code) => process.exit(code ?? 0));
  });
}

async function client(url: string, echoPort: number): Promise<void> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const tcp = netConnect({ host: '127.0.0.1', port: echoPort, noDelay: true });
  await Promise.all([new Promise((r) => ws.once('open', r)), new Promise((r) => tcp.once('connect', r))]);
  let received = 0;
  let wakeTcp: (() => void) | undefined;
  tcp.on('data', (chunk) => {
    received += chunk.length;
    if (received < 200) return;
    received -= 200;
    wakeTcp?.();
  });
  let wakeWs: (() => void) | undefined;
  ws.on('message', (data: Buffer) => {
    unpackr.unpack(data);
    wakeWs?.();
  });
  const request = Buffer.alloc(32, 1);
  const tcpTrip = (): Promise<void> => new Promise((resolve) => ((wakeTcp = resolve), tcp.write(request)));
  const wsTrip = (message: object): Promise<void> => new Promise((resolve) => ((wakeWs = resolve), ws.send(packr.pack(message))));

  const tcpSamples = new Float64Array(ROUNDS * PER_ROUND);
  const wsSamples = new Float64Array(ROUNDS * PER_ROUND);
  for (let i = 0; i < 2000; i++) await wsTrip({ type: 'step', id: i, action: i & 3 });
  for (let round = 0, t = 0, w = 0; round < ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++, t++) {
      const t0 = nowUs();
      await tcpTrip();
      tcpSamples[t] = nowUs() - t0;
    }
    for (let i = 0; i < PER_ROUND; i++, w++) {
      const t0 = nowUs();
      await wsTrip({ type: 'step', id: w, action: w & 3 });
      wsSamples[w] = nowUs() - t0;
    }
  }
  const tcpP50 = percentile(tcpSamples, tcpSamples.length, 50);
  const wsP50 = percentile(wsSamples, wsSamples.length, 50);
  console.log(`tcp echo p50 ${tcpP50.toFixed(1)} us; bare ws + msgpackr p50 ${wsP50.toFixed(1)} us (${(wsP50 / tcpP50).toFixed(2)}x)`);

  const action = { dtype: 'uint8', shape: [N], data: new Uint8Array(N) };
  for (let i = 0; i < 500; i++) await wsTrip({ type: 'step', id: i, action });
  const start = nowUs();
  for (let i = 0; i < PACKED_TRIPS; i++) await wsTrip({ type: 'step', id: i, action });
  const seconds = (nowUs() - start) / 1e6;
  console.log(`bare ws + msgpackr packed N=${N} echo: ${Math.round(PACKED_TRIPS / seconds)} round trips/s = ${((PACKED_TRIPS * N) / seconds / 1e6).toFixed(2)} M env-steps/s`);
  ws.close();
  tcp.destroy();
  process.exit(0);
}

if (process.argv[2] === 'client') void client(process.argv[3]!, Number(process.argv[4]));
else server();
