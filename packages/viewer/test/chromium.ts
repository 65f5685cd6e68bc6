/**
 * The one way this repository launches a browser (tests and screenshot scripts alike): playwright-core driving
 *
 * 1. `CHROMIUM_PATH` when set (any Chromium or chrome-headless-shell binary),
 * 2. else Debian's `/usr/bin/chromium` when present,
 * 3. else the headless Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency: the binary is
 *    in its tarball, so `npm install` downloads nothing beyond the registry and runs no install script).
 *
 * The packaged browser is unpacked once into `node_modules/.cache/rlfs-chromium-<version>/` together with the shared
 * libraries it needs (NSS, NSPR, expat: a bare machine may lack them) and its fonts (Open Sans), so that it behaves
 * the same on every machine. `npm run chromium-path -w @rlfs/viewer` prints that path (for `CHROMIUM_PATH`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Where Debian's package puts its browser. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The flags every launch gets: no sandbox (containers run as root), no GPU, no network chatter, a fresh profile. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] as const;

export interface ChromiumChoice {
  executablePath: string;
  /** Which of the three sources was chosen, for messages. */
  source: 'CHROMIUM_PATH' | 'system' | 'packaged';
  /** Extra environment the binary needs (the packaged one: its libraries and fonts). */
  env: Record<string, string>;
}

/** Picks the browser as described at the top of this file (unpacking the packaged one if it comes to that). */
export async function findChromium(options: { env?: NodeJS.ProcessEnv; systemPath?: string } = {}): Promise<ChromiumChoice> {
  const override = (options.env ?? process.env).CHROMIUM_PATH;
  const systemPath = options.systemPath ?? SYSTEM_CHROMIUM;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist`);
    return { executablePath: override, source: 'CHROMIUM_PATH', env: packagedEnvFor(override) };
  }
  if (existsSync(systemPath)) return { executablePath: systemPath, source: 'system', env: {} };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no Chromium found: ${systemPath} is missing and the one packaged in @sparticuz/chromium runs on Linux x64 only (this is ${process.platform} ${process.arch}); set CHROMIUM_PATH to a Chromium or Chrome binary`);
  }
  const executablePath = await unpackPackagedChromium();
  return { executablePath, source: 'packaged', env: packagedEnvFor(executablePath) };
}

/** Launches headless Chromium through playwright-core with {@link CHROMIUM_FLAGS} and a fresh profile. */
export async function launchChromium(choice?: ChromiumChoice): Promise<Browser> {
  choice ??= await findChromium();
  // The fresh profile: playwright gives every plain launch its own temporary --user-data-dir and deletes it on close
  // (it refuses a --user-data-dir in args).
  return chromium.launch({
    executablePath: choice.executablePath,
    args: [...CHROMIUM_FLAGS],
    env: { ...process.env, ...choice.env },
  });
}

/** The packaged binary's cache folder: node_modules/.cache/rlfs-chromium-<version>/. */
export function packagedChromiumDir(): string {
  const entry = require.resolve('@sparticuz/chromium'); // .../node_modules/@sparticuz/chromium/build/cjs/index.cjs
  const packageDir = resolve(dirname(entry), '../..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return join(packageDir, '../../.cache', `rlfs-chromium-${version}`);
}

/**
 * Unpacks `@sparticuz/chromium` into {@link packagedChromiumDir} once and returns the binary's path. Test files run
 * in parallel workers, so it unpacks into a private folder and renames it into place: a reader sees all or nothing.
 */
export async function unpackPackagedChromium(): Promise<string> {
  const target = packagedChromiumDir();
  const binary = join(target, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    await inflateInto(staging);
    writeFileSync(join(staging, 'fonts.conf'), fontsConf(join(target, 'fonts', 'fonts'), join(target, 'fonts-cache')));
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another worker finished first: its copy is as good as ours.
      if (!existsSync(binary)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/**
 * `@sparticuz/chromium` unpacks into `os.tmpdir()` and adds its Amazon Linux libraries only when it believes it runs
 * on Lambda. It runs in a child Node process whose TMPDIR is `dir` and which announces a Lambda runtime: `os.tmpdir()`
 * reads the real environment, which a test runner's sandboxed `process.env` does not change, and the package reuses
 * any `chromium` already in the temporary folder it sees.
 */
async function inflateInto(dir: string): Promise<void> {
  const script = "require('@sparticuz/chromium').executablePath().then(() => undefined, (err) => { console.error(err.message); process.exit(1); })";
  await new Promise<void>((resolvePromise, reject) => {
    execFile(process.execPath, ['-e', script], { cwd: __dirname, env: { ...process.env, TMPDIR: dir, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' }, timeout: 300_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`unpacking @sparticuz/chromium failed: ${stderr.trim() || err.message}`)) : resolvePromise(),
    );
  });
  if (!existsSync(join(dir, 'chromium'))) throw new Error(`@sparticuz/chromium did not unpack its binary into ${dir}`);
  if (!existsSync(join(dir, 'al2023', 'lib', 'libnss3.so'))) throw new Error(`@sparticuz/chromium did not unpack its libraries into ${dir}/al2023/lib`);
}

/** The packaged binary's libraries and fonts, when `executablePath` is one unpacked by {@link unpackPackagedChromium}. */
function packagedEnvFor(executablePath: string): Record<string, string> {
  const dir = dirname(resolve(executablePath));
  const libs = join(dir, 'al2023', 'lib');
  if (!existsSync(libs) || !existsSync(join(dir, 'fonts.conf'))) return {};
  return { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), FONTCONFIG_FILE: join(dir, 'fonts.conf') };
}

function fontsConf(fontDir: string, cacheDir: string): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${fontDir}</dir>\n  <cachedir>${cacheDir}</cachedir>\n</fontconfig>\n`;
}

if (require.main === module) {
  unpackPackagedChromium().then(
    (path) => console.log(path),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
