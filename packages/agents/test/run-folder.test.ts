import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CSV_FLUSH_BYTES, EPISODES_CSV_HEADER, RunFolder, scanEpisodes } from '../src/run-folder';
import { CURVE_BUCKETS } from '../src/curve-summary';
import type { EpisodeRecord } from '../src/runner';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-runfolder-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Episode i of a made-up run: returns cycle -3..6, two episodes in three succeed. */
function episode(i: number): EpisodeRecord {
  const e: EpisodeRecord = { episode: i, return: (i % 10) - 3, length: 1 + (i % 7), success: i % 3 !== 0, steps: 3 * i };
  if (i % 4 !== 0) e.shortestPath = i % 5;
  return e;
}

function row(e: EpisodeRecord): string {
  return `${e.episode},${e.return},${e.length},${e.shortestPath ?? ''},${e.success ? 1 : 0},${e.steps}`;
}

/** Bytes `from` .. `from + bytes` of a file, without reading the rest (the CSV is over 100 MB). */
function slice(file: string, from: number, bytes: number): string {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(bytes);
  const read = readSync(fd, buf, 0, bytes, from);
  closeSync(fd);
  return buf.toString('utf8', 0, read);
}

function tail(file: string, bytes: number): string {
  return slice(file, Math.max(0, statSync(file).size - bytes), bytes);
}

describe('run folder writers over a long run', () => {
  it('5,000,000 episodes: memory held stays bounded, episodes.csv has every row, the curve spans the run', () => {
    const total = 5_000_000;
    const run = new RunFolder(dir);
    let most = { curveBuckets: 0, pendingRows: 0, pendingBytes: 0 };
    for (let i = 1; i <= total; i++) {
      run.record(episode(i));
      if (i % 100_000 === 0) {
        const f = run.footprint();
        most = { curveBuckets: Math.max(most.curveBuckets, f.curveBuckets), pendingRows: Math.max(most.pendingRows, f.pendingRows), pendingBytes: Math.max(most.pendingBytes, f.pendingBytes) };
      }
      if (i % 1_000_000 === 0) run.sync(); // what a checkpoint does
    }
    run.writeCurve('five million');
    run.close();
    // What the folder holds in memory does not grow with the run: a fixed curve and at most one buffer of rows.
    expect(most.curveBuckets).toBeLessThanOrEqual(CURVE_BUCKETS);
    expect(most.pendingBytes).toBeLessThan(CSV_FLUSH_BYTES);
    expect(most.pendingRows).toBeLessThan(CSV_FLUSH_BYTES / 10);
    expect(run.episodes).toBe(total);
    expect(run.successes).toBe(total - Math.floor(total / 3));
    expect(run.curve.total).toBe(total);

    // episodes.csv: the header, then every episode in order (read back in chunks, as a resume does).
    const file = path.join(dir, 'episodes.csv');
    let rows = 0;
    let sum = 0;
    let wins = 0;
    const kept = scanEpisodes(file, Infinity, (ret, success) => {
      rows++;
      sum += ret;
      if (success) wins++;
    });
    expect(kept).toBe(statSync(file).size);
    expect(rows).toBe(total);
    // Returns cycle through -3..6 (sum 15 per ten episodes).
    expect(sum).toBe(15 * (total / 10));
    expect(wins).toBe(run.successes);
    const head = slice(file, 0, 200).split('\n');
    expect(head.slice(0, 3)).toEqual([EPISODES_CSV_HEADER, '1,-2,2,1,1,3', '2,-1,3,2,1,6']);
    expect(tail(file, 60).split('\n').slice(-3)).toEqual([row(episode(total - 1)), row(episode(total)), '']);

    // curve.svg: at most CURVE_BUCKETS points, first to last episode.
    const svg = readFileSync(path.join(dir, 'curve.svg'), 'utf8');
    const points = svg.match(/<path class="returns" d="M([^"]+)"/)![1]!.split('L');
    expect(points.length).toBeLessThanOrEqual(CURVE_BUCKETS);
    expect(points.length).toBeGreaterThan(CURVE_BUCKETS / 2);
    // The curve is by env step (3 per episode here): it ends at step 15,000,000, the last round tick.
    expect(svg).toContain('>env steps</text>');
    expect(svg).toContain('>15M</text>');
    expect(readdirSync(dir).sort()).toEqual(['curve.svg', 'episodes.csv']);
  }, 120_000);
});

describe('resuming a run folder', () => {
  it('keeps the rows up to the checkpoint, cuts later rows and a half-written line, and continues the curve', () => {
    const first = new RunFolder(dir);
    for (let i = 1; i <= 30; i++) first.record(episode(i));
    first.close();
    const file = path.join(dir, 'episodes.csv');
    appendFileSync(file, '31,4,2,'); // a row cut by a crash
    // The checkpoint was saved after episode 25: rows 26-30 are of an agent that was not saved.
    const resumed = new RunFolder(dir, { resumeEpisodes: 25 });
    expect(resumed.episodes).toBe(25);
    expect(resumed.curve.total).toBe(25);
    expect(resumed.successes).toBe(25 - 8);
    for (let i = 26; i <= 27; i++) resumed.record(episode(i));
    resumed.close();
    const expected = [EPISODES_CSV_HEADER, ...Array.from({ length: 27 }, (_, k) => row(episode(k + 1)))].join('\n') + '\n';
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('starts a new episodes.csv when there is none, or when it has no header', () => {
    const a = new RunFolder(dir, { resumeEpisodes: 10 });
    a.record(episode(11));
    a.close();
    expect(readFileSync(path.join(dir, 'episodes.csv'), 'utf8')).toBe(`${EPISODES_CSV_HEADER}\n${row(episode(11))}\n`);
    writeFileSync(path.join(dir, 'episodes.csv'), '');
    const b = new RunFolder(dir, { resumeEpisodes: 10 });
    b.close();
    expect(readFileSync(path.join(dir, 'episodes.csv'), 'utf8')).toBe(`${EPISODES_CSV_HEADER}\n`);
  });
});
