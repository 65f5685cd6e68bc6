/** Keyboard to GridWorld actions (0 up, 1 down, 2 left, 3 right): arrow keys and WASD. Pure. */

const KEY_ACTIONS: Record<string, number> = {
  ArrowUp: 0, ArrowDown: 1, ArrowLeft: 2, ArrowRight: 3,
  w: 0, s: 1, a: 2, d: 3, W: 0, S: 1, A: 2, D: 3,
};

export const ACTION_NAMES = ['up', 'down', 'left', 'right'] as const;

/** The action of a `KeyboardEvent.key`, or undefined. */
export function actionOfKey(key: string): number | undefined {
  return KEY_ACTIONS[key];
}
