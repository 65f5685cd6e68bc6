/**
 * The protocol page's worked examples as data: the messages of a conversation (`-> {...}` requests and `<- {...}`
 * replies, JSON possibly spread over several lines) and the bytes of a `hex` block.
 */

export interface ConversationLine {
  direction: '->' | '<-';
  /** The JSON text of the message, or of as much as the page shows. */
  json: string;
  /** The parsed message; undefined where the page abbreviates it (`...`). */
  message?: Record<string, unknown>;
}

/** The `->` and `<-` messages of a block, in order. Text after a message's closing brace (a `#` note) is ignored. */
export function parseConversation(text: string): ConversationLine[] {
  const out: ConversationLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(->|<-)\s*(\{.*)$/.exec(lines[i]!);
    if (!m) continue;
    let json = '';
    let depth = 0;
    let inString = false;
    let rest = m[2]!;
    for (;;) {
      let k = 0;
      for (; k < rest.length; k++) {
        const ch = rest[k]!;
        if (inString) {
          if (ch === '\\') k++;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) break;
        }
      }
      json += rest.slice(0, k + 1);
      if (depth === 0 || i + 1 >= lines.length) break;
      rest = lines[++i]!;
      json += '\n';
    }
    const line: ConversationLine = { direction: m[1] as '->' | '<-', json };
    try {
      line.message = JSON.parse(json) as Record<string, unknown>;
    } catch {
      // abbreviated with "..."
    }
    out.push(line);
  }
  return out;
}

/**
 * The bytes of a `hex` block: on each line, the hex digits before the first run of two or more spaces (single spaces
 * may group them); the rest of the line is a note.
 */
export function parseHex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.split(/ {2,}/)[0]!.replace(/\s+/g, ''))
    .join('');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex bytes: ${digits.slice(0, 80)}`);
  const bytes = new Uint8Array(digits.length / 2);
  for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(digits.slice(2 * k, 2 * k + 2), 16);
  return bytes;
}
