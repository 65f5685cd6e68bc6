/**
 * A packed vector session against its floor (src/floors/packed-echo.ts), client side: the same N, the same prepared
 * actions, one step at a time, in alternating rounds between the same two processes so that a change of the
 * machine's load hits both alike.
 */
import { RemoteVectorEnv, connect } from '@rlfs/protocol/node';
import { PackedEchoFloor, captureReply } from '../floors/packed-echo';
import { actionBatches, nowUs } from '../stats';

export interface VectorFloorConfig {
  /** The real server's /ws url and the floor server's url. */
  url: string;
  floorUrl: string;
  env: string;
  numEnvs: number;
  numActions: number;
  rounds: number;
  roundMs: number;
  /** Stepping of each before the first round (JIT tier-up on both sides). */
  warmupMs: number;
}

export interface VectorFloorResult {
  /** Env-steps per second of each round. */
  env: number[];
  floor: number[];
}

export async function measureVectorAgainstFloor(config: VectorFloorConfig): Promise<VectorFloorResult> {
  const n = config.numEnvs;
  const template = await captureReply(config.url, config.env, n, config.numActions);
  const floor = await PackedEchoFloor.open(config.floorUrl, template, n);
  const client = await connect(config.url, { role: 'agent', name: `bench-vector-floor-${config.env}` });
  try {
    const vec = await RemoteVectorEnv.make(client, { env: config.env, numEnvs: n, encoding: 'packed', seed: 1 });
    await vec.reset();
    const batches = actionBatches(n, 16, config.numActions, 4242);
    let k = 0;
    const run = async (target: { step(actions: ArrayLike<number>): Promise<void> }, ms: number): Promise<number> => {
      const start = nowUs();
      const end = start + ms * 1000;
      let steps = 0;
      let now = start;
      while (now < end) {
        await target.step(batches[k++ & 15]!);
        steps++;
        now = nowUs();
      }
      return (steps * n) / ((now - start) / 1e6);
    };
    await run(vec, config.warmupMs);
    await run(floor, config.warmupMs);
    const result: VectorFloorResult = { env: [], floor: [] };
    for (let round = 0; round < config.rounds; round++) {
      // swap the order every round, so that neither always runs right after the other
      if (round % 2 === 0) {
        result.env.push(await run(vec, config.roundMs));
        result.floor.push(await run(floor, config.roundMs));
      } else {
        result.floor.push(await run(floor, config.roundMs));
        result.env.push(await run(vec, config.roundMs));
      }
    }
    return result;
  } finally {
    floor.close();
    await client.close();
  }
}
