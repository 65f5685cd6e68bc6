import type { GridState } from '@rlfs/protocol';
import { makeVectorEnv } from '../src';

describe('vector env final states for spectators', () => {
  it('keeps the state at the end of an episode only while recordFinalStates is on', () => {
    // A 2x2 layout with the goal one step right of the agent: action 3 ends every episode at once.
    const vec = makeVectorEnv('GridWorld-v0', { layout: ['AG', '..'] }, 2);
    vec.reset({ seed: 1 });
    vec.step([3, 3]);
    expect(vec.ended.map((e) => e.index)).toEqual([0, 1]);
    expect(vec.ended[0]!.finalState).toBeUndefined();

    vec.recordFinalStates = true;
    vec.step([3, 3]);
    const final = vec.ended[0]!.finalState as GridState;
    expect(final.agent).toEqual([0, 1]); // on the goal: the episode's last frame, not the next episode's first
    expect(final.goal).toEqual([0, 1]);
    expect((vec.stateAt(0) as GridState).agent).toEqual([0, 0]); // already autoreset
  });
});
