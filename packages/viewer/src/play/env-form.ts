/**
 * The /play form for any environment: the environment select (filled from `welcome.envs`), GridWorld's own
 * fields shown only for GridWorld, a JSON options field for the others, and the `make` options they give.
 */
import type { ActionName } from '@rlfs/protocol';
import { parseLayoutText } from './reward';
import { keycaps } from './keys';

export const GRIDWORLD = 'GridWorld-v0';

export interface EnvFormUi {
  env: HTMLSelectElement;
  size: HTMLInputElement;
  boundary: HTMLSelectElement;
  obstacles: HTMLInputElement;
  layout: HTMLTextAreaElement;
  maxSteps: HTMLInputElement;
  json: HTMLInputElement;
}

/** Lists `envs` in the select, keeping the current (or `preferred`) choice when it is offered. */
export function fillEnvSelect(select: HTMLSelectElement, envs: readonly string[], preferred?: string): void {
  const keep = preferred && envs.includes(preferred) ? preferred : envs.includes(select.value) ? select.value : envs[0];
  select.replaceChildren(...envs.map((id) => new Option(id, id)));
  if (keep) select.value = keep;
}

/** Shows GridWorld's fields for GridWorld and the JSON options field for any other environment. */
export function showFieldsFor(env: string): void {
  const grid = env === GRIDWORLD;
  for (const el of document.querySelectorAll<HTMLElement>('.grid-only')) el.hidden = !grid;
  for (const el of document.querySelectorAll<HTMLElement>('.other-only')) el.hidden = grid;
}

/** The `make` options from the form; throws an Error saying what is wrong with the JSON options. */
export function makeOptions(ui: EnvFormUi): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (ui.env.value === GRIDWORLD) {
    options.boundary = ui.boundary.value;
    options.observation = 'coords';
    const layout = parseLayoutText(ui.layout.value);
    if (layout) options.layout = layout;
    else {
      options.size = Number(ui.size.value);
      options.obstacles = Number(ui.obstacles.value);
    }
  } else if (ui.json.value.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ui.json.value);
    } catch {
      throw new Error('options: not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('options: expected a JSON object, e.g. {"slip": 0}');
    Object.assign(options, parsed);
  }
  if (ui.maxSteps.value.trim()) options.maxEpisodeSteps = Number(ui.maxSteps.value);
  return options;
}

/** The legend of the keys: one line per action, its keycaps then its name. */
export function renderKeyLegend(list: HTMLElement, actions: readonly ActionName[]): void {
  const items = actions.map((action, i) => {
    const li = document.createElement('li');
    li.dataset.action = String(i);
    const caps = document.createElement('span');
    caps.className = 'keycaps';
    for (const cap of keycaps(action)) {
      const kbd = document.createElement('kbd');
      kbd.textContent = cap;
      caps.appendChild(kbd);
    }
    if (!caps.childElementCount) caps.textContent = '(no key)';
    li.append(caps, document.createTextNode(` ${action.name}`));
    return li;
  });
  list.replaceChildren(...items);
}
