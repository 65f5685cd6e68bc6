/**
 * Keyboard to actions. GridWorld's: 0 up, 1 down, 2 left, 3 right on the arrow keys and WASD. Any other
 * environment's: the names and keys its spec sends (`spec.actions`, docs/protocol.md "Action names and keys"),
 * else a default by the number of actions (docs/viewer.md). Pure.
 */
import type { ActionName, EnvSpec } from '@rlfs/protocol';

const KEY_ACTIONS: Record<string, number> = {
  ArrowUp: 0, ArrowDown: 1, ArrowLeft: 2, ArrowRight: 3,
  w: 0, s: 1, a: 2, d: 3, W: 0, S: 1, A: 2, D: 3,
};

export const ACTION_NAMES = ['up', 'down', 'left', 'right'] as const;

/** GridWorld's action of a `KeyboardEvent.key`, or undefined. */
export function actionOfKey(key: string): number | undefined {
  return KEY_ACTIONS[key];
}

/** Digit keys give at most ten actions: 1..9 then 0. */
export const MAX_DIGIT_ACTIONS = 10;

/** GridWorld's four actions, as a key map. */
export const GRID_ACTIONS: ActionName[] = [
  { name: 'up', keys: ['ArrowUp', 'w', 'W'] },
  { name: 'down', keys: ['ArrowDown', 's', 'S'] },
  { name: 'left', keys: ['ArrowLeft', 'a', 'A'] },
  { name: 'right', keys: ['ArrowRight', 'd', 'D'] },
];

/**
 * The actions a person can take in an environment, with their keys: the spec's `actions` when it sends them;
 * else Discrete(4) as GridWorld, Discrete(2) left/right on the arrows and A/D, any other Discrete(n) the digits
 * 1..9, 0 (only the first ten actions get a key). Empty for a non-Discrete action space (nothing to play).
 */
export function actionKeysOf(spec: Pick<EnvSpec, 'actionSpace' | 'actions'>): ActionName[] {
  if (spec.actionSpace.type !== 'Discrete') return [];
  const n = spec.actionSpace.n;
  if (spec.actions && spec.actions.length === n) return spec.actions;
  if (n === 4) return GRID_ACTIONS;
  if (n === 2) return [{ name: 'left', keys: ['ArrowLeft', 'a', 'A'] }, { name: 'right', keys: ['ArrowRight', 'd', 'D'] }];
  return Array.from({ length: n }, (_, i) => ({ name: `action ${i}`, keys: i < MAX_DIGIT_ACTIONS ? [String((i + 1) % 10)] : [] }));
}

/** The action whose keys include `key`, or undefined. */
export function actionOfKeyIn(actions: readonly ActionName[], key: string): number | undefined {
  const i = actions.findIndex((a) => a.keys.includes(key));
  return i < 0 ? undefined : i;
}

const KEY_LABELS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', ' ': 'Space', Enter: 'Enter' };

/** How a key is shown on a keycap: arrows as arrows, the space bar as Space, letters upper-case. */
export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? (key.length === 1 ? key.toUpperCase() : key);
}

/** The keycaps of an action, without repeats (`a` and `A` are one keycap). */
export function keycaps(action: ActionName): string[] {
  return [...new Set(action.keys.map(keyLabel))];
}
