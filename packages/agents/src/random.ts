/**
 * The random agent: uniform over a Discrete action space, from its own seeded generator.
 * The baseline every learning curve is compared with, and the smallest example of a plugin.
 */
import type { Agent, AgentPlugin } from './plugin';
import { definePlugin } from './plugin';
import { Rng } from './rng';
import { UnsupportedSpaceError } from './errors';
import { formatSpace } from './env-like';

/** The random agent has no options. */
export type RandomOptions = Record<string, never>;

export const randomPlugin: AgentPlugin<RandomOptions> = definePlugin<RandomOptions>({
  name: 'random',
  description: 'uniform random actions over any Discrete action space (seeded); learns nothing',
  defaultSteps: 2_000,
  defaults: {},
  schema: {},
  create(spec, _options, { seed }): Agent {
    const space = spec.actionSpace;
    if (space.type !== 'Discrete') throw new UnsupportedSpaceError(`random needs a Discrete action space, got ${formatSpace(space)}`);
    const rng = new Rng(seed);
    let actions = new Int32Array(1);
    return {
      act(_observations, count) {
        if (actions.length !== count) actions = new Int32Array(count);
        for (let i = 0; i < count; i++) actions[i] = rng.int(space.n);
        return actions;
      },
      snapshot: () => ({ state: { rng: rng.getState() }, tensors: {} }),
      restore(snapshot) {
        rng.setState(snapshot.state.rng as number[]);
      },
    };
  },
});
