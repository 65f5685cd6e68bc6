/**
 * Durable writes for every file a run writes (checkpoint, eval.json, curve.svg, episodes.csv).
 *
 * A whole file is written to a temporary file beside it, fsynced, renamed over the target and then the folder is
 * fsynced: after a crash or a power cut the target is the old file or the new one, never a mix or an empty file, and
 * the rename itself survives. A process killed mid-write leaves its temporary file behind; the next write of the same
 * target removes such leftovers. An append-only file (episodes.csv) is appended through one open descriptor and
 * fsynced when the run saves, so a killed run keeps every row up to its last save and usually more.
 *
 * Written by hand rather than with `write-file-atomic`: that package does not fsync the folder after the rename and
 * does not remove the temporary files of a process that was killed.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, promises as fs, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** Temporary files are named `.<target>.tmp-<pid>-<n>`: hidden, and tied to the target they would replace. */
const TEMP_INFIX = '.tmp-';
let counter = 0;
/** Temporary files this process is writing now: a save that overlaps another must not take them for leftovers. */
const inFlight = new Set<string>();

function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${TEMP_INFIX}${process.pid}-${counter++}`);
}

/** True for the temporary file of an interrupted write of `target` (or of any target when `target` is omitted). */
export function isLeftover(name: string, target?: string): boolean {
  if (target !== undefined) return name.startsWith(`.${target}${TEMP_INFIX}`);
  return /^\..+\.tmp-\d+-\d+$/.test(name);
}

/** Removes the leftovers of interrupted writes of `target` in `dir` (of every target when omitted); returns their names. */
export function removeLeftovers(dir: string, target?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed = names.filter((name) => isLeftover(name, target) && !inFlight.has(path.join(dir, name)));
  for (const name of removed) rmSync(path.join(dir, name), { force: true });
  return removed;
}

/** Flushes a folder's entries (a rename, a new file) to disk. Some platforms cannot open a folder: then it is a no-op. */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Windows and some network file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `file` durably (temporary file, fsync, rename, fsync of the folder); the folder must exist. */
export function writeFileDurableSync(file: string, data: string | Uint8Array): void {
  removeLeftovers(path.dirname(file), path.basename(file));
  const tmp = tempPathFor(file);
  inFlight.add(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    inFlight.delete(tmp);
  }
  syncFolder(path.dirname(file));
}

/** The asynchronous {@link writeFileDurableSync}: same steps, without blocking the event loop on the disk. */
export async function writeFileDurable(file: string, data: string | Uint8Array): Promise<void> {
  removeLeftovers(path.dirname(file), path.basename(file));
  const tmp = tempPathFor(file);
  inFlight.add(tmp);
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  } finally {
    inFlight.delete(tmp);
  }
  syncFolder(path.dirname(file));
}

/**
 * An append-only file kept open for the run: {@link append} writes at the end, {@link sync} makes what was written
 * durable. Opening it with `keepBytes` first cuts it to that length (dropping rows past a resumed checkpoint, or a
 * half-written last line).
 */
export class AppendFile {
  private fd: number | undefined;

  constructor(
    readonly file: string,
    keepBytes?: number,
  ) {
    const created = !existsSync(file);
    const fd = openSync(file, 'a');
    if (keepBytes !== undefined) {
      // ftruncate on the append descriptor: later writes still go to the (new) end.
      try {
        ftruncateSync(fd, keepBytes);
      } catch (err) {
        closeSync(fd);
        throw err;
      }
    }
    this.fd = fd;
    if (created) syncFolder(path.dirname(file));
  }

  append(text: string): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.byteLength; ) done += writeSync(this.fd, bytes, done, bytes.byteLength - done);
  }

  sync(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
