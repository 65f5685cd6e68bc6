/**
 * Raw terminal input to commands: arrow keys (`ESC [ A` and the application-mode `ESC O A`), WASD, r, q,
 * Ctrl-C and Ctrl-D. One chunk may hold several keys. Pure.
 */

export type TerminalCommand = { kind: 'move'; action: number } | { kind: 'reset' } | { kind: 'quit' };

const ARROWS: Record<string, number> = { A: 0, B: 1, D: 2, C: 3 };
const LETTERS: Record<string, number> = { w: 0, s: 1, a: 2, d: 3 };

export function parseKeys(chunk: string): TerminalCommand[] {
  const out: TerminalCommand[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const ch = chunk[i]!;
    if (ch === '\x1b') {
      const kind = chunk[i + 1];
      const code = chunk[i + 2];
      if ((kind === '[' || kind === 'O') && code !== undefined && code in ARROWS) {
        out.push({ kind: 'move', action: ARROWS[code]! });
        i += 2;
        continue;
      }
      if (kind === undefined) out.push({ kind: 'quit' }); // a lone Escape
      continue;
    }
    if (ch === '\x03' || ch === '\x04') {
      out.push({ kind: 'quit' });
      continue;
    }
    const lower = ch.toLowerCase();
    if (lower in LETTERS) out.push({ kind: 'move', action: LETTERS[lower]! });
    else if (lower === 'q') out.push({ kind: 'quit' });
    else if (lower === 'r') out.push({ kind: 'reset' });
  }
  return out;
}
