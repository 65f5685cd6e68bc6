/**
 * The episode table as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they need it).
 */

/** One ended episode, as the viewer keeps it. */
export interface EpisodeRow {
  /** Session-wide episode number, from 1. */
  episode: number;
  /** Sub-env (0 in a scalar session). */
  index: number;
  return: number;
  length: number;
  terminated: boolean;
  shortestPath?: number;
}

export const CSV_COLUMNS = ['episode', 'env', 'return', 'length', 'terminated', 'shortest_path'] as const;

/** The table with a header row; numbers printed in full (no rounding), a missing shortest path left empty. */
export function episodesToCsv(rows: readonly EpisodeRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push([r.episode, r.index, r.return, r.length, r.terminated, r.shortestPath ?? ''].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** A field, quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file name for a session's export: `rlfs-<session>-<name>-episodes.csv`, safe characters only. */
export function csvFileName(session: string, name: string): string {
  const safe = `${session}-${name}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `rlfs-${safe}-episodes.csv`;
}
