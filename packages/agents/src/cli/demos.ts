/**
 * `npm run train -- --demos FILE`: the demonstrations file read, checked (demos.ts) and handed to the agent before
 * training. An agent that cannot take demonstrations is refused before the file is read.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '@rlfs/cli';
import type { AgentSpec } from '../env-like';
import type { Agent } from '../plugin';
import { parseDemos } from '../demos';

/** Largest demonstrations file read (bytes). */
export const MAX_DEMOS_BYTES = 256 * 1024 * 1024;

/** Loads `file` into `agent`; returns the line train prints. */
export async function addDemosFromFile(agent: Agent, agentName: string, file: string, spec: AgentSpec): Promise<string> {
  if (!agent.addDemonstrations) throw new UsageError(`--demos: the ${agentName} agent cannot learn from demonstrations (dqn can: it puts them in its replay buffer)`);
  const full = path.resolve(file);
  const stat = await fs.stat(full).catch(() => undefined);
  if (!stat?.isFile()) throw new UsageError(`--demos: ${file} is not a file`);
  if (stat.size > MAX_DEMOS_BYTES) throw new UsageError(`--demos: ${file} is ${stat.size} bytes, more than ${MAX_DEMOS_BYTES}`);
  const demos = parseDemos(await fs.readFile(full, 'utf8'), spec, file);
  const kept = await agent.addDemonstrations(demos.transitions);
  const count = demos.transitions.count;
  return `demonstrations: ${count} transitions in ${demos.episodes} episodes from ${file}${kept < count ? `; the replay buffer keeps the last ${kept}` : ''}\n`;
}
