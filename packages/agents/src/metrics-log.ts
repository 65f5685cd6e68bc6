/**
 * metrics.csv of a run folder: `step,metric,value`, one line per metric per report, in the order they come (long
 * format: a new metric needs no new column). Each report is one append (one write), so a crash loses at most the
 * report being written; the file is fsynced when the run saves. A resumed run keeps the lines up to its step.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { AppendFile } from './durable';

export const METRICS_CSV_HEADER = 'step,metric,value';

export class MetricsLog {
  private readonly csv: AppendFile;

  /** @param resumeSteps keep an existing file's lines up to this env step (a resumed run); unset: a new file */
  constructor(readonly file: string, resumeSteps?: number) {
    const keep = resumeSteps !== undefined && existsSync(file) ? keptBytes(file, resumeSteps) : 0;
    this.csv = new AppendFile(file, keep);
    if (keep === 0) this.csv.append(METRICS_CSV_HEADER + '\n');
  }

  /** Appends one report: every finite metric at env step `step`. */
  append(step: number, metrics: Readonly<Record<string, number | undefined>>): void {
    let text = '';
    for (const [name, value] of Object.entries(metrics)) {
      // Names are ours or an agent's: a comma or a newline would break the columns.
      if (typeof value === 'number' && Number.isFinite(value) && !/[,\n\r"]/.test(name)) text += `${step},${name},${value}\n`;
    }
    if (text) this.csv.append(text);
  }

  sync(): void {
    this.csv.sync();
  }

  close(): void {
    this.csv.close();
  }
}

/** Bytes of `file` to keep: the header and the complete lines whose step is at most `upTo`; 0 if the header is wrong. */
function keptBytes(file: string, upTo: number): number {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(256 * 1024);
    let carry = '';
    let offset = 0;
    let keep = 0;
    let header = true;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return keep;
      const text = carry + chunk.toString('latin1', 0, read);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const line = text.slice(start, nl);
        offset += nl + 1 - start;
        start = nl + 1;
        if (header) {
          if (line !== METRICS_CSV_HEADER) return 0;
          header = false;
          keep = offset;
          continue;
        }
        const step = Number(line.slice(0, line.indexOf(',')));
        if (!Number.isFinite(step) || step > upTo) return keep;
        keep = offset;
      }
      carry = text.slice(start);
    }
  } finally {
    closeSync(fd);
  }
}
