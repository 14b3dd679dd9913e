/**
 * The bundled CLI's code cache (src/cli/load-bundled.ts): made by the first run, used by the
 * next, never trusted blindly. Every case runs the real CLI as a process, with
 * NODE_COMPILE_CACHE pointing at a folder of the test's own, and holds its output to a run
 * with every cache disabled: a cache may change how fast presend starts, never what it says.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presend } from '../helpers/cli.js';

const args = ['explain', '550 MI:SPF', '--format', 'json'];
const cacheName = /^explain-[0-9a-f]{16}-\d+-\d+\.cache$/;

/** Every file below a folder, however deep (Node ≥ 22.1 adds a folder of its own per version and flags). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

const explainCache = (dir: string) => filesBelow(dir).filter((f) => cacheName.test(f.split('/').pop()!));

let dir: string;
let uncached: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'presend-code-cache-'));
  uncached ??= (await presend(args, { NODE_DISABLE_COMPILE_CACHE: '1' })).stdout;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled CLI keeps a code cache of its own', () => {
  it('the first run writes one, owner-only; the next uses it as it is; both say what an uncached run says', async () => {
    const first = await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(uncached);
    const [cache] = explainCache(dir);
    expect(cache).toBeDefined();
    expect(statSync(cache!).mode & 0o077).toBe(0);
    expect(statSync(join(cache!, '..')).mode & 0o077).toBe(0);
    const written = readFileSync(cache!);

    const second = await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(second.stdout).toBe(uncached);
    // Accepted, so not made again: the same bytes (a rewrite would hold the newly compiled code too).
    expect(explainCache(dir)).toEqual([cache]);
    expect(readFileSync(cache!).equals(written)).toBe(true);
  });

  it('a cache V8 refuses (garbage under the right name) is replaced, and the run is unharmed', async () => {
    await presend(args, { NODE_COMPILE_CACHE: dir });
    const [cache] = explainCache(dir);
    writeFileSync(cache!, Buffer.alloc(4096, 0x41));
    const run = await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(uncached);
    expect(readFileSync(cache!).equals(Buffer.alloc(4096, 0x41))).toBe(false);
  });

  it('writing a cache keeps the newest four of that file, whatever other builds left', async () => {
    await presend(args, { NODE_COMPILE_CACHE: dir });
    const [cache] = explainCache(dir);
    const folder = join(cache!, '..');
    const old = Array.from({ length: 6 }, (_, i) => join(folder, `explain-${'a'.repeat(15)}${i}-100-${i}.cache`));
    old.forEach((file, i) => {
      writeFileSync(file, 'old');
      utimesSync(file, 1_000_000 + i, 1_000_000 + i);
    });
    const other = join(folder, `codes-${'b'.repeat(16)}-100-1.cache`);
    writeFileSync(other, 'another file\'s cache');
    utimesSync(other, 1_000_000, 1_000_000);
    writeFileSync(cache!, Buffer.alloc(4096, 0x41)); // refused, so written again
    await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(explainCache(dir).sort()).toEqual([cache!, ...old.slice(3)].sort());
    expect(readFileSync(other, 'utf8')).toBe("another file's cache");
  });

  it('a cache file others may write to is not read: it is made again, owner-only', async () => {
    await presend(args, { NODE_COMPILE_CACHE: dir });
    const [cache] = explainCache(dir);
    const written = readFileSync(cache!);
    chmodSync(cache!, 0o666);
    const run = await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(run.stdout).toBe(uncached);
    expect(statSync(cache!).mode & 0o077).toBe(0);
    // Made again from this run's code: the same functions compiled, so about the same size.
    expect(Math.abs(readFileSync(cache!).length - written.length)).toBeLessThan(written.length / 2);
  });

  it('a folder others may write to is neither read nor written: what is planted there is never run', async () => {
    await presend(args, { NODE_COMPILE_CACHE: dir });
    const [cache] = explainCache(dir);
    const folder = join(cache!, '..');
    chmodSync(folder, 0o777);
    writeFileSync(cache!, Buffer.alloc(4096, 0x41));
    const run = await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(run.stdout).toBe(uncached);
    expect(readFileSync(cache!).equals(Buffer.alloc(4096, 0x41))).toBe(true);
  });

  it('a batch, which sets a V8 flag of its own, keeps its own caches: single and batch runs in turn rewrite none', async () => {
    const zone = ['--offline', '--zone', 'fixtures/zones/shop.example.zone', '--ip', '203.0.113.5', '--format', 'json'];
    const single = ['domain', 'shop.example', ...zone];
    const batch = ['domain', 'shop.example', 'shop.example', ...zone];
    const mailauthCaches = () => filesBelow(dir).filter((f) => /\/mailauth-[^/]*\.cache$/.test(f)).sort();
    const bytesOf = (files: string[]) => files.map((f) => readFileSync(f).toString('base64'));
    await presend(single, { NODE_COMPILE_CACHE: dir });
    await presend(batch, { NODE_COMPILE_CACHE: dir });
    const caches = mailauthCaches();
    expect(caches).toHaveLength(2);
    expect(caches.some((f) => f.endsWith('-heap-growing-percent-25.cache'))).toBe(true);
    const written = bytesOf(caches);
    await presend(single, { NODE_COMPILE_CACHE: dir });
    await presend(batch, { NODE_COMPILE_CACHE: dir });
    expect(mailauthCaches()).toEqual(caches);
    expect(bytesOf(caches)).toEqual(written);
  });

  it('a FIFO planted at the cache\'s path neither hangs the run nor is read', async () => {
    await presend(args, { NODE_COMPILE_CACHE: dir });
    const [cache] = explainCache(dir);
    rmSync(cache!);
    expect(spawnSync('mkfifo', [cache!]).status).toBe(0);
    const run = await presend(args, { NODE_COMPILE_CACHE: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(uncached);
  });

  it('a checkout whose bundle was never built: one line and exit 2, not a stack trace', () => {
    const unbuilt = join(dir, 'unbuilt');
    mkdirSync(join(unbuilt, 'bin'), { recursive: true });
    for (const file of ['presend.js', 'package.json']) copyFileSync(join('bin', file), join(unbuilt, 'bin', file));
    const run = spawnSync(process.execPath, [join(unbuilt, 'bin', 'presend.js'), 'codes'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('presend: the command-line bundle cannot be loaded (MODULE_NOT_FOUND): run npm run build\n');
  });

  it('NODE_DISABLE_COMPILE_CACHE: nothing is written', async () => {
    const run = await presend(args, { NODE_COMPILE_CACHE: dir, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(run.stdout).toBe(uncached);
    expect(explainCache(dir)).toEqual([]);
  });

  it('a cache folder that cannot be made (a file stands in its way) costs only the cache', async () => {
    const blocked = join(dir, 'not-a-folder');
    writeFileSync(blocked, 'x');
    const run = await presend(args, { NODE_COMPILE_CACHE: blocked });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(uncached);
  });
});

/**
 * Where the caches live when the user names no folder (issue 23): never the shared temporary
 * folder, where another local user can make Node's cache folder first and plant code that then
 * runs as whoever starts presend; only a folder that no one but this user (or root) can have
 * made or can write, up to the root.
 */
describe('the caches live only where no other user can have put anything', () => {
  const asRoot = process.getuid?.() === 0;
  const NOBODY = 65534;
  let home: string;
  let temp: string;
  const env = (more: NodeJS.ProcessEnv = {}) => ({ NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined, XDG_CACHE_HOME: undefined, HOME: home, TMPDIR: temp, ...more });
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'presend-home-'));
    temp = mkdtempSync(join(tmpdir(), 'presend-tmp-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(temp, { recursive: true, force: true });
  });

  it('by default in ~/.cache/presend, owner-only — Node\'s compile cache too — and nothing in the temporary folder', async () => {
    const run = await presend(args, env());
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(uncached);
    expect(readdirSync(temp)).toEqual([]);
    const root = join(home, '.cache', 'presend');
    expect(explainCache(root)).toHaveLength(1);
    expect(statSync(root).mode & 0o077).toBe(0);
    if (typeof nodeModule.enableCompileCache === 'function') expect(existsSync(join(root, 'node'))).toBe(true);
  });

  it('XDG_CACHE_HOME, when absolute, is where the cache goes', async () => {
    const xdg = join(home, 'xdg');
    const run = await presend(args, env({ XDG_CACHE_HOME: xdg }));
    expect(run.stdout).toBe(uncached);
    expect(explainCache(join(xdg, 'presend'))).toHaveLength(1);
    expect(existsSync(join(home, '.cache'))).toBe(false);
  });

  it('under a folder others may write to (not sticky), no cache is read or written', async () => {
    const open = join(home, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const run = await presend(args, env({ XDG_CACHE_HOME: join(open, 'cache') }));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(uncached);
    expect(explainCache(open)).toEqual([]);
  });

  it.skipIf(!asRoot)('a cache folder another user made first is never read, written or pruned: what they planted is never run', async () => {
    // The attack: another local user makes the folder before the victim's first run and plants a cache in it.
    await presend(args, env({ XDG_CACHE_HOME: join(home, 'genuine') }));
    const [genuine] = explainCache(join(home, 'genuine'));
    const planted = join(home, 'xdg', 'presend', genuine!.split('/').at(-2)!);
    mkdirSync(planted, { recursive: true });
    const trap = join(planted, genuine!.split('/').pop()!);
    writeFileSync(trap, Buffer.alloc(4096, 0x41));
    for (const path of [trap, planted, join(planted, '..')]) chownSync(path, NOBODY, NOBODY);
    const run = await presend(args, env({ XDG_CACHE_HOME: join(home, 'xdg') }));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(uncached);
    expect(readdirSync(planted)).toEqual([trap.split('/').pop()]);
    expect(readFileSync(trap).equals(Buffer.alloc(4096, 0x41))).toBe(true);
  });

  it.skipIf(!asRoot)('the cache folder swapped for a link to another user\'s folder is not followed into it', async () => {
    const theirs = join(home, 'theirs');
    mkdirSync(theirs, { mode: 0o777 });
    chmodSync(theirs, 0o777);
    chownSync(theirs, NOBODY, NOBODY);
    const xdg = join(home, 'xdg');
    mkdirSync(xdg);
    symlinkSync(theirs, join(xdg, 'presend'));
    const run = await presend(args, env({ XDG_CACHE_HOME: xdg }));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(uncached);
    expect(readdirSync(theirs)).toEqual([]);
  });
});
