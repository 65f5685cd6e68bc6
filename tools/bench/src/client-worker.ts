/**
 * The client process of the loopback workloads: it holds the agent connections, as a real agent's process would,
 * and runs what the bench asks over the IPC channel.
 */
import { serveCommands } from './children';
import type { Command } from './children';
import { closeAgents, openAgents, runAgents } from './workloads/agents';
import type { AgentsRunConfig } from './workloads/agents';
import { checkHealth, closeIdle, openIdle } from './workloads/idle';
import { measureLatency } from './workloads/scalar';
import type { LatencyConfig } from './workloads/scalar';
import { measureVector } from './workloads/vector';
import type { VectorConfig } from './workloads/vector';
import { measureVectorAgainstFloor } from './workloads/vector-floor';
import type { VectorFloorConfig } from './workloads/vector-floor';
import { measureWatched } from './workloads/watched';
import type { WatchedConfig } from './workloads/watched';

serveCommands({
  latency: (c: Command) => measureLatency(c as unknown as LatencyConfig),
  'agents-open': (c: Command) => openAgents(c.url as string, c.count as number),
  'agents-run': (c: Command) => runAgents(c as unknown as AgentsRunConfig),
  'agents-close': () => closeAgents(),
  vector: (c: Command) => measureVector(c as unknown as VectorConfig),
  'vector-floor': (c: Command) => measureVectorAgainstFloor(c as unknown as VectorFloorConfig),
  watched: (c: Command) => measureWatched(c as unknown as WatchedConfig),
  'idle-open': (c: Command) => openIdle(c.url as string, c.count as number),
  health: (c: Command) => checkHealth(c.httpUrl as string, c.minConnections as number, c.timeoutMs as number),
  'idle-close': () => closeIdle(),
});
