/**
 * The part of a run folder's CSV file that a resumed run keeps: the header, then the complete lines up to the first
 * one `keepLine` refuses. Read in fixed-size chunks: a resumed long run reads millions of lines.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Byte length of that part; 0 when the first line is not `header` (start the file over). */
export function keptPrefixBytes(file: string, header: string, keepLine: (line: string) => boolean): number {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(256 * 1024);
    let carry = '';
    let offset = 0; // bytes of the file consumed into complete lines
    let keep = 0;
    let first = true;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return keep;
      const text = carry + chunk.toString('latin1', 0, read);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const line = text.slice(start, nl);
        offset += nl + 1 - start;
        start = nl + 1;
        if (first) {
          if (line !== header) return 0;
          first = false;
        } else if (!keepLine(line)) {
          return keep;
        }
        keep = offset;
      }
      carry = text.slice(start);
    }
  } finally {
    closeSync(fd);
  }
}
