import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { soakFigures } from '../src/soak';

const ROOT = path.resolve(__dirname, '../../..');

describe('bench:soak', () => {
  it('splits the samples into quarters of the run by steps and reports the growth after warm-up', () => {
    const samples = [
      { seconds: 1, steps: 0, rssMiB: 80 },
      { seconds: 2, steps: 200, rssMiB: 150 }, // warm-up peak, first quarter
      { seconds: 3, steps: 300, rssMiB: 120 },
      { seconds: 4, steps: 600, rssMiB: 125 },
      { seconds: 5, steps: 800, rssMiB: 128 },
      { seconds: 6, steps: 1000, rssMiB: 126 }, // the last sample lands in the last quarter
    ];
    expect(soakFigures(samples, 1000)).toEqual({ peakMiB: 150, q1MaxMiB: 150, q2MaxMiB: 120, q3MaxMiB: 125, q4MaxMiB: 128, growthAfterWarmupMiB: 8 });
  });

  it('--help prints the options; a bad value is a usage error (exit 2)', () => {
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const help = spawnSync(tsx, ['tools/bench/src/soak.ts', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--steps N +environment steps of the run/);
    expect(help.stdout).toMatch(/2000000/);
    const bad = spawnSync(tsx, ['tools/bench/src/soak.ts', '--steps', 'many'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('error: --steps: expected an integer >= 1, got "many"\nsee: npm run bench:soak -- --help\n');
  }, 60_000);
});
