/**
 * Draw lists (types in `@rlfs/protocol`): the check that an environment's list is well formed, used by the env
 * checker so that a viewer can trust what it receives.
 */
import type { DrawItem, DrawList } from '@rlfs/protocol';

export type { DrawList, DrawItem };

const COLOUR = /^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

/** Why `value` is not a well-formed draw list, or undefined when it is. */
export function whyNotDrawList(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected {viewport, items}';
  const v = value.viewport;
  if (!isObject(v) || !['x', 'y', 'width', 'height'].every((k) => finite(v[k]))) return 'viewport: expected finite {x, y, width, height}';
  if (!((v.width as number) > 0 && (v.height as number) > 0)) return 'viewport: width and height must be > 0';
  if (value.background !== undefined && !colour(value.background)) return `background: expected #rrggbb or #rrggbbaa, got ${JSON.stringify(value.background)}`;
  if (!Array.isArray(value.items)) return 'items: expected a list';
  for (let i = 0; i < value.items.length; i++) {
    const why = whyNotItem(value.items[i]);
    if (why) return `items[${i}]: ${why}`;
  }
  return undefined;
}

function whyNotItem(item: unknown): string | undefined {
  if (!isObject(item)) return 'expected a map';
  const need = (keys: string[]): string | undefined => keys.find((k) => !finite(item[k]));
  let missing: string | undefined;
  switch ((item as Partial<DrawItem>).type) {
    case 'rect':
      missing = need(['x', 'y', 'width', 'height']);
      break;
    case 'circle':
      missing = need(['x', 'y', 'radius']);
      break;
    case 'line': {
      const p = item.points;
      if (!Array.isArray(p) || p.length < 4 || p.length % 2 !== 0 || !p.every(finite)) return 'points: expected [x0, y0, x1, y1, ...], at least two points';
      break;
    }
    case 'text':
      if (typeof item.text !== 'string') return 'text: expected a string';
      if (item.align !== undefined && !['left', 'center', 'right'].includes(item.align as string)) return 'align: expected left, center or right';
      missing = need(['x', 'y', 'size']);
      break;
    default:
      return `type: expected rect, circle, line or text, got ${JSON.stringify(item.type)}`;
  }
  if (missing) return `${missing}: expected a finite number`;
  for (const k of ['fill', 'stroke']) if (item[k] !== undefined && !colour(item[k])) return `${k}: expected #rrggbb or #rrggbbaa, got ${JSON.stringify(item[k])}`;
  if (item.lineWidth !== undefined && !(finite(item.lineWidth) && (item.lineWidth as number) >= 0)) return 'lineWidth: expected a number >= 0';
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function finite(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}
function colour(v: unknown): boolean {
  return typeof v === 'string' && COLOUR.test(v);
}
