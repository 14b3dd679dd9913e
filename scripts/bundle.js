#!/usr/bin/env node
// Part of the build: the CLI bundled with esbuild into dist/cli-bundle/ (bin/presend.js runs
// it); the library entry point stays dist/index.js. Packages loaded by path or that ship
// their own ESM graph stay outside: mailauth (its subpaths are required at run time),
// smtp-server, file-type.
//
// Two builds, because every run pays for each module it links at start-up:
//  - main.js: commander, the command definitions and the little they import statically, in
//    one file. Left to esbuild's code splitting, those few small modules landed in seven
//    chunks of their own (each shared with some command's work), and linking eight files
//    cost ≈ 4 ms of every start-up on Node 24.
//  - what the commands load on use (their dynamic imports), split into shared chunks so
//    that a run loads only its command's share.
// The small modules main.js holds are thus also in the chunks of the second build: stateless
// helpers, and errors.ts, whose UsageError is recognised by a brand, not by class identity.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { dataBesideBundle } from './data-beside-bundle.js';
import { lazyLibmime } from './lazy-libmime.js';

const outdir = 'dist/cli-bundle';
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['mailauth', 'smtp-server', 'file-type'],
  // Bundled CommonJS packages call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __presendCreateRequire } from 'node:module'; const require = __presendCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};

/**
 * commander requires node:child_process when it loads, for executable subcommands presend
 * does not have; loading it (with net and dgram behind it) was 3–5 ms of every start-up.
 * commander gets a stand-in that loads the real module on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

/** dist/profile/load.js → profile-load: the second build's entry name, one folder deep like main.js (paths from import.meta.url rely on it). */
const entryName = (file) => relative('dist', file).replace(/\.js$/, '').replaceAll(/[\\/]/g, '-');

/** The command definitions' dynamic imports, each pointed at the second build's entry for it (and collected). */
function loadedOnUse(files) {
  return {
    name: 'loaded-on-use',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = resolve(dirname(args.importer), args.path);
        files.add(file);
        return { path: `./${entryName(relative(process.cwd(), file))}.js`, external: true };
      });
    },
  };
}

rmSync(outdir, { recursive: true, force: true });
const onUse = new Set();
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: `${outdir}/main.js`, plugins: [lazyChildProcess, loadedOnUse(onUse)] });
await build({
  ...common,
  entryPoints: [...onUse].sort().map((file) => ({ in: file, out: entryName(relative(process.cwd(), file)) })),
  outdir,
  splitting: true,
  plugins: [lazyChildProcess, lazyLibmime, dataBesideBundle(outdir)],
});
