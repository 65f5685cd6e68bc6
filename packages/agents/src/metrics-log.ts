/**
 * metrics.csv of a run folder: `step,metric,value`, one line per metric per report, in the order they come (long
 * format: a new metric needs no new column). Each report is one append (one write), so a crash loses at most the
 * report being written; the file is fsynced when the run saves. A resumed run keeps the lines up to its step.
 */
import { existsSync } from 'node:fs';
import { keptPrefixBytes } from './csv-prefix';
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
  return keptPrefixBytes(file, METRICS_CSV_HEADER, (line) => {
    const step = Number(line.slice(0, line.indexOf(',')));
    return Number.isFinite(step) && step <= upTo;
  });
}
