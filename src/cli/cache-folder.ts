/**
 * Where compiled code is kept between runs — presend's own code cache (load-bundled.ts) and
 * Node's compile cache for what presend requires from node_modules. A cache is code: whoever
 * can write it, or the folder it is in, or any folder above that, runs code as the user who
 * starts presend. So the cache lives under `$XDG_CACHE_HOME/presend` (else
 * `~/.cache/presend`), and only when every folder from there up to the root is this user's
 * or root's and closed to other users' writes — a sticky folder such as /tmp only where what
 * is in it is this user's, so no one else can have made it first or swap it later. Never in
 * the shared temporary folder, where Node puts its cache when given no folder: there another
 * user can create the folder first and plant entries. `NODE_COMPILE_CACHE`, set by the user,
 * stays the user's choice (its folder is still held to being theirs and private);
 * `NODE_DISABLE_COMPILE_CACHE` turns every cache off. No folder that passes: no cache, only
 * the speed it would have brought is lost.
 */
import { lstatSync, mkdirSync, realpathSync, type Stats } from 'node:fs';
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

const STICKY = 0o1000;
const OTHERS_MAY_WRITE = 0o022;

/** This user's, and no one else may write to it (Windows has neither owner ids nor such modes to check). */
export function ownedPrivately(stat: Stats): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || stat.uid === uid) && (process.platform === 'win32' || (stat.mode & OTHERS_MAY_WRITE) === 0);
}

/**
 * No one but this user (and root) can have created, replaced or written into `path`: it is a
 * folder of this user's closed to others, and so is every folder above it, but for sticky
 * ones (like /tmp) whose entry on the way down is this user's or root's.
 */
function privateChain(path: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  let below = lstatSync(path);
  if (!below.isDirectory() || !ownedPrivately(below)) return false;
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    const stat = lstatSync(folder);
    if (!stat.isDirectory() || (stat.uid !== uid && stat.uid !== 0)) return false;
    const othersMayWrite = (stat.mode & OTHERS_MAY_WRITE) !== 0;
    if (othersMayWrite && !((stat.mode & STICKY) !== 0 && (below.uid === uid || below.uid === 0))) return false;
    if (dirname(folder) === folder) return true;
    below = stat;
  }
}

/** A folder made (0700) when absent, given back by its real path when it and the folders above it are private; null otherwise. */
function madePrivate(path: string, wholeChain: boolean): string | null {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    if (!wholeChain) {
      // lstat: a link put in its place is not a folder.
      const stat = lstatSync(path);
      return stat.isDirectory() && ownedPrivately(stat) ? path : null;
    }
    const real = realpathSync(path);
    return privateChain(real) ? real : null;
  } catch {
    return null;
  }
}

/** `$XDG_CACHE_HOME/presend` (an absolute XDG_CACHE_HOME only, as the XDG spec says), else `~/.cache/presend`. */
function defaultRoot(env: NodeJS.ProcessEnv): string | null {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'presend');
  try {
    const home = homedir();
    return home ? join(home, '.cache', 'presend') : null;
  } catch {
    return null;
  }
}

let root: { path: string; chosenByUser: boolean } | null | undefined;

/** The cache root, found and checked once per process: null when caches are off or no private folder can be had. */
function cacheRoot(env: NodeJS.ProcessEnv = process.env): { path: string; chosenByUser: boolean } | null {
  if (root !== undefined) return root;
  if (env.NODE_DISABLE_COMPILE_CACHE) return (root = null);
  if (env.NODE_COMPILE_CACHE) return (root = { path: env.NODE_COMPILE_CACHE, chosenByUser: true });
  const path = defaultRoot(env);
  const checked = path ? madePrivate(path, true) : null;
  return (root = checked ? { path: checked, chosenByUser: false } : null);
}

/** The folder for presend's own caches of this Node version and architecture, or null. */
export function presendCacheFolder(): string | null {
  const found = cacheRoot();
  if (!found) return null;
  // Only this user can write in a root that passed the whole-chain check (and a root the user
  // chose is theirs to answer for): the folder made in it is held to being a private folder, not a link.
  return madePrivate(join(found.path, `presend-${process.version}-${process.arch}`), false);
}

/**
 * Turns on Node's compile cache (Node ≥ 22.1) in presend's private folder — or where the
 * user's NODE_COMPILE_CACHE says, which Node already reads itself — and never in the
 * shared temporary folder Node would pick when given none.
 */
export function enableNodeCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (!enable) return;
  try {
    const found = cacheRoot();
    if (!found) return;
    if (found.chosenByUser) enable();
    else {
      const folder = madePrivate(join(found.path, 'node'), false);
      if (folder) enable(folder);
    }
  } catch {
    // A cache that cannot be turned on costs only speed.
  }
}
