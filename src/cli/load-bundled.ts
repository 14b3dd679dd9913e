/**
 * The bundled CLI's files (dist/cli-bundle/<name>.cjs: main, the program with its command
 * definitions, and each command's run), loaded with a V8 code cache made after they ran.
 *
 * Node's own compile cache (module.enableCompileCache) is made when a module is compiled,
 * before it runs: it holds the top-level code only, so every function a run calls is
 * compiled again from source on every start (V8 compiles functions on first call). A short
 * `presend eml` compiles hundreds of them — most of its start-up once the modules are
 * found. Here each file is one CommonJS script (built by scripts/bundle.js), compiled
 * through node:vm with the cache the previous run left and, when there was none or V8
 * refused it, a new cache written as the process exits: made then, it holds every function
 * the run compiled. No package does this for a bundle loaded on demand (v8-compile-cache
 * hooks require() for a whole tree and makes its cache before the code runs), hence this
 * file.
 *
 * The cache lives in a folder only this user can have made and written (cache-folder.ts:
 * ~/.cache/presend, or the user's NODE_COMPILE_CACHE), per Node version and architecture,
 * and is off when NODE_DISABLE_COMPILE_CACHE is set. V8 checks a cache against its own version and flags and the source's length, not its
 * bytes, so a cache file is named by the build's hash (the bundle's last line), the file's
 * size and modification time (a rebuild or an edit finds no cache and makes one), and any
 * V8 flag the run set for itself (runtime-flags.ts). A folder or a cache file another user
 * owns, or that others may write to, is never read (a cache is code), and a file larger
 * than any cache made here is not read either. Any failure to read or write a cache only
 * costs the speed it would have brought.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { ownedPrivately, presendCacheFolder } from './cache-folder.js';
import { runtimeFlagsName } from './runtime-flags.js';

export { enableNodeCompileCache } from './cache-folder.js';

/** The last line of every script the build writes: `//# presend-build=<hash>`. */
const BUILD_MARK = /\/\/# presend-build=([0-9a-f]+)\s*$/;

let folderChecked: string | null | undefined;

/** The cache folder, made and checked at the first script a process loads. */
function cacheFolder(): string | null {
  if (folderChecked === undefined) folderChecked = presendCacheFolder();
  return folderChecked;
}

/** The cache file for this build of this script, or null when there is none to be had. */
function cacheFileFor(name: string, file: string, source: string): string | null {
  const build = BUILD_MARK.exec(source.slice(-80))?.[1];
  const folder = build ? cacheFolder() : null;
  if (!folder) return null;
  const stat = statSync(file);
  const flags = runtimeFlagsName();
  return join(folder, `${name}-${build}-${stat.size}-${Math.trunc(stat.mtimeMs)}${flags ? `-${flags}` : ''}.cache`);
}

/** Far above any cache a script here makes (about a megabyte): a larger file is not read. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * The cache, when it is a file of this user's that no one else may write (checked on the
 * descriptor it is read from, so it cannot be swapped in between) and of a sane size.
 */
function readCache(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    // No link followed, and a FIFO planted at the path neither blocks the open nor passes as a file.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_CACHE_BYTES || !ownedPrivately(stat)) return undefined;
    const data = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < data.length) {
      const n = readSync(fd, data, read, data.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return data.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Caches of one file kept per folder: the builds of a few presend installs used in turn, not every build there ever was. */
const KEPT_BUILDS = 4;

/**
 * Written whole under another name, then renamed: a run that reads it at the same time sees
 * the old file or the new, never half. Then the oldest caches of the same file beyond the
 * newest few go (each build and each edit of the bundle makes a new one), and any
 * half-written file a killed run left more than an hour ago.
 */
function writeCache(name: string, path: string, data: Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    const folder = dirname(path);
    const sameFile = new RegExp(`^${name}-[0-9a-f]+-\\d+-\\d+(-[A-Za-z0-9-]+)?\\.cache$`);
    const entries = readdirSync(folder).map((file) => ({ file, mtime: statSync(join(folder, file)).mtimeMs }));
    const stale = [
      ...entries.filter((e) => sameFile.test(e.file)).sort((a, b) => b.mtime - a.mtime).slice(KEPT_BUILDS),
      ...entries.filter((e) => e.file.endsWith('.tmp') && Date.now() - e.mtime > 3_600_000),
    ];
    for (const { file } of stale) rmSync(join(folder, file), { force: true });
  } catch {
    // A full or read-only disk, or another run pruning at the same time: the next run does as this one did.
  }
}

const importOnBehalf = (specifier: string): Promise<unknown> => import(specifier);

const loaded = new Map<string, Record<string, unknown>>();

/** The exports of dist/cli-bundle/<name>.cjs, run once per process (mailauth.cjs is asked for by each evaluator). */
export function loadBundled(name: string): Record<string, unknown> {
  let exports = loaded.get(name);
  if (!exports) loaded.set(name, (exports = compileAndRun(name)));
  return exports;
}

function compileAndRun(name: string): Record<string, unknown> {
  const file = join(dirname(fileURLToPath(import.meta.url)), `${name}.cjs`);
  // The bundle is ASCII (scripts/bundle.js checks), so latin1 reads it exactly, and faster than UTF-8.
  const source = readFileSync(file, 'latin1');
  let cacheFile: string | null = null;
  try {
    cacheFile = cacheFileFor(name, file, source);
  } catch {
    cacheFile = null;
  }
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // The build wrote the script as the function called below (scripts/bundle.js). A script
  // compiled from a code cache cannot import() on Node 20: the build turns the bundle's
  // imports of ES-only packages (file-type) into calls of __presendImport, which imports
  // from here, where Node's own loader resolves them from the bundle's folder.
  const script = new Script(source, { filename: file, cachedData });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    const path = cacheFile;
    process.once('exit', () => writeCache(name, path, script.createCachedData()));
  }
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, nodeModule.createRequire(file), module, file, dirname(file), importOnBehalf);
  return module.exports;
}
