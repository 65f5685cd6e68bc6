/**
 * `tsx tools/bench/src/profile-summary.ts FILE.cpuprofile [TOP] [--inclusive]`: the functions with the most self (or
 * inclusive) time in a `node --cpu-prof` profile, with their share of the samples (idle and GC as V8 names them).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Time shares by function, largest first: self time, or with `inclusive` the samples where the function is
 * anywhere on the stack (counted once per sample).
 */
export function summarize(profile: Profile, top: number, inclusive = false): Array<{ name: string; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = inclusive ? parent.get(at) : undefined) {
      const node = byId.get(at);
      if (!node) break;
      const key = nameOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const total = profile.samples.length || 1;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => ({ name, share: count / total }));
}

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function shortUrl(url: string): string {
  const m = /node_modules\/(.*)$/.exec(url) ?? /\/(packages\/.*|tools\/.*)$/.exec(url);
  return m ? m[1]! : url.startsWith('node:') ? url : basename(url);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const inclusive = args.includes('--inclusive');
  const [file, top = '25'] = args.filter((a) => a !== '--inclusive');
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [TOP] [--inclusive]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  for (const { name, share } of summarize(profile, Number(top), inclusive)) console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${name}`);
}
