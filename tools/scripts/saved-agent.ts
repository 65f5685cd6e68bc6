/**
 * A saved agent, loaded as `npm run eval -- --load` loads it (the agents package's checkpoint reader and registry),
 * for the commands that show one playing: `npm run record` and `npm run watch`. The flags they share are here too.
 */
import * as path from 'node:path';
import { defineFlags, UsageError } from '@rlfs/cli';
import { isBuiltinAgent, loadAgent, readCheckpoint, userPluginNeeded } from '@rlfs/agents';
import type { Agent, AgentSpec, CheckpointManifest, ReadCheckpoint } from '@rlfs/agents';

/** Which agent, and on which environment (the checkpoint's unless told). */
export const SAVED_AGENT_FLAGS = defineFlags({
  load: { type: 'string', required: true, placeholder: 'DIR', doc: 'run folder (holding checkpoint/) or checkpoint folder of the agent' },
  agent: { type: 'string', placeholder: 'NAME|PATH', defaultText: 'the checkpoint\'s built-in agent', doc: 'the plugin module of a user agent\'s checkpoint (a checkpoint never names code to load)' },
  episodes: { type: 'int', default: 3, min: 1, max: 10_000, placeholder: 'K', doc: 'greedy episodes to play' },
  seed: { type: 'int', default: 1_000_000, min: 0, placeholder: 'S', doc: 'seeds the first reset; the episodes are fixed by it (as in npm run eval)' },
  env: { type: 'string', placeholder: 'ID', defaultText: 'the checkpoint\'s', doc: 'environment id' },
  'env-module': { type: 'list', placeholder: 'PATH', doc: 'a module (.ts or .js) exporting defineEnv environments, for an agent trained on one; repeatable' },
  options: { type: 'json', placeholder: 'JSON', defaultText: 'the checkpoint\'s', doc: 'environment options (spaces must match the checkpoint)' },
});

/** The checkpoint read, before the environment exists (its spec and options choose the environment). */
export interface SavedRun {
  checkpoint: ReadCheckpoint;
  manifest: CheckpointManifest;
  envId: string;
  envOptions: Record<string, unknown>;
  /** Loads the agent for the environment's spec (refused when the spaces differ from the checkpoint's). */
  load(spec: AgentSpec): Promise<Agent>;
}

/** Reads the checkpoint named by `--load`, with the environment the flags or the checkpoint choose. */
export async function readSavedRun(flags: { load: string; agent?: string; env?: string; options?: unknown }): Promise<SavedRun> {
  const checkpoint = await readCheckpoint(path.resolve(flags.load));
  const { manifest } = checkpoint;
  // The agent comes from --agent or, for a built-in, from the registry by the saved name: never from the file.
  if (flags.agent === undefined && !isBuiltinAgent(manifest.agent)) throw new UsageError(userPluginNeeded(checkpoint.file, manifest.agent));
  if (flags.options !== undefined && (typeof flags.options !== 'object' || flags.options === null || Array.isArray(flags.options))) {
    throw new UsageError('--options: expected a JSON object of environment options');
  }
  return {
    checkpoint,
    manifest,
    envId: flags.env ?? manifest.spec.id,
    envOptions: (flags.options as Record<string, unknown> | undefined) ?? manifest.spec.options,
    load: async (spec) => (await loadAgent(checkpoint.dir, spec, { checkpoint, ...(flags.agent !== undefined ? { agent: flags.agent } : {}) })).agent,
  };
}

/** The agent's greedy action for one observation. */
export async function greedyAction(agent: Agent, observation: Parameters<Agent['act']>[0]): Promise<number> {
  return (await agent.act(observation, 1, false))[0]!;
}
