import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppendFile, isLeftover, removeLeftovers, writeFileDurable, writeFileDurableSync } from '../src/durable';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-durable-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('durable whole-file writes', () => {
  it('write, replace, and leave nothing but the target behind', async () => {
    const file = path.join(dir, 'eval.json');
    writeFileDurableSync(file, 'one');
    await writeFileDurable(file, new Uint8Array([116, 119, 111]));
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['eval.json']);
  });

  it('the next write of a file removes the temporary files of interrupted writes of it, and only of it', async () => {
    // What a process killed between writing its temporary file and the rename leaves behind.
    writeFileSync(path.join(dir, '.curve.svg.tmp-4242-0'), '<svg half');
    writeFileSync(path.join(dir, '.eval.json.tmp-4242-1'), '{"half"');
    writeFileSync(path.join(dir, 'curve.svg'), '<svg old/>');
    writeFileDurableSync(path.join(dir, 'curve.svg'), '<svg new/>');
    expect(readdirSync(dir).sort()).toEqual(['.eval.json.tmp-4242-1', 'curve.svg']);
    expect(readFileSync(path.join(dir, 'curve.svg'), 'utf8')).toBe('<svg new/>');
    await writeFileDurable(path.join(dir, 'eval.json'), '{}');
    expect(readdirSync(dir).sort()).toEqual(['curve.svg', 'eval.json']);
  });

  it('a failed write leaves the old file and no temporary file', async () => {
    const target = path.join(dir, 'taken');
    mkdirSync(target); // renaming a file over a folder fails
    expect(() => writeFileDurableSync(target, 'x')).toThrow();
    await expect(writeFileDurable(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('tells leftovers from other files', () => {
    expect(isLeftover('.checkpoint.json.tmp-12-3')).toBe(true);
    expect(isLeftover('.checkpoint.json.tmp-12-3', 'checkpoint.json')).toBe(true);
    expect(isLeftover('.checkpoint.json.tmp-12-3', 'curve.svg')).toBe(false);
    expect(isLeftover('checkpoint.json')).toBe(false);
    expect(isLeftover('.hidden')).toBe(false);
    writeFileSync(path.join(dir, '.a.tmp-1-1'), '');
    writeFileSync(path.join(dir, 'b'), '');
    expect(removeLeftovers(dir)).toEqual(['.a.tmp-1-1']);
    expect(removeLeftovers(path.join(dir, 'nowhere'))).toEqual([]);
  });
});

describe('append-only files', () => {
  it('appends at the end, and keepBytes cuts a half-written tail before appending', () => {
    const file = path.join(dir, 'episodes.csv');
    const a = new AppendFile(file);
    a.append('header\n1,a\n');
    a.sync();
    a.append('2,b\n3,');
    a.close();
    expect(readFileSync(file, 'utf8')).toBe('header\n1,a\n2,b\n3,');
    const b = new AppendFile(file, 'header\n1,a\n2,b\n'.length);
    b.append('3,c\n');
    b.close();
    expect(readFileSync(file, 'utf8')).toBe('header\n1,a\n2,b\n3,c\n');
    expect(() => b.append('x')).toThrow(/closed/);
    expect(existsSync(file)).toBe(true);
  });
});
