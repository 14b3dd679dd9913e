#!/usr/bin/env node
// Part of the build: the CLI bundled with esbuild into dist/cli-bundle/ (bin/presend.js runs
// it); the library entry point stays dist/index.js. Packages loaded by path or that ship
// their own ESM graph stay outside: mailauth (its subpaths are required at run time),
// smtp-server, file-type.
//
// A process runs one command, and pays for every file it links at start-up (≈ 0.3 ms each,
// on Node 20 and 24 alike), so the bundle is one build per file a run needs:
//  - main.js: commander and the command definitions (src/cli/*.ts), which hold no state;
//  - <command>.js: one build per command's run (src/cli/run/<command>.ts) with everything
//    it imports statically, split only where the run itself loads on use (the checks after a
//    single domain's first questions, zod for a profile of one's own, postal-mime for
//    --file, the DNS transport, yauzl, …) into <command>-<hash>.js chunks.
// Builds share nothing, so a module may be in several: the runs' copies never meet (one
// command a process), and the few small modules main.js shares with a run are stateless
// but for errors.ts, whose UsageError is recognised by a brand, not by class identity.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { dataBesideBundle } from './data-beside-bundle.js';
import { lazyLibmime } from './lazy-libmime.js';

const outdir = 'dist/cli-bundle';
const runs = join('dist', 'cli', 'run');
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // yaml is required on use from node_modules (src/yaml.ts), never bundled.
  external: ['mailauth', 'smtp-server', 'file-type', 'yaml'],
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

/**
 * main.js's dynamic imports are the commands' runs, each pointed at its own build (and
 * collected, so the runs built are exactly those main.js loads); anything else would be
 * state main.js shares with a run.
 */
function runsApart(found) {
  return {
    name: 'runs-apart',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = resolve(args.resolveDir, args.path);
        if (dirname(file) !== resolve(runs)) return { errors: [{ text: `${relative(process.cwd(), args.importer)} imports ${args.path} on use: only a command's run (src/cli/run/) may be, see scripts/bundle.js` }] };
        found.add(relative(runs, file));
        return { path: `./${relative(runs, file)}`, external: true };
      });
    },
  };
}

/**
 * zod (760 KB bundled) is stateless and every run may need it (a profile of one's own, a
 * config): one vendor-zod.js that each command's build imports, not a copy per command.
 * From node_modules it would load in twice the time (its hundred ESM files).
 */
const sharedZod = {
  name: 'shared-zod',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: './vendor-zod.js', external: true }));
  },
};

/**
 * A draft run imports only postal-mime's addressParser and decodeWords, but postal-mime's
 * package does not say its modules are free of side effects, so esbuild kept all of it
 * (its HTML entity table, its MIME parser: 122 KB to parse each run). They are — each
 * module only declares — and are marked so, which lets the unused ones go.
 */
const postalMimeWithoutSideEffects = {
  name: 'postal-mime-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving || args.kind === 'entry-point') return undefined;
      if (args.path !== 'postal-mime' && !/[\\/]postal-mime[\\/]/.test(args.importer)) return undefined;
      const resolved = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { resolving: true } });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path, external: resolved.external, sideEffects: false };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const commandRuns = new Set();
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: `${outdir}/main.js`, plugins: [lazyChildProcess, runsApart(commandRuns)] });
await Promise.all([
  build({ ...common, stdin: { contents: "export * from 'zod';", resolveDir: '.', sourcefile: 'vendor-zod.js' }, outfile: `${outdir}/vendor-zod.js` }),
  ...[...commandRuns].map((run) =>
    build({
      ...common,
      entryPoints: [join(runs, run)],
      outdir,
      splitting: true,
      chunkNames: `${run.replace(/\.js$/, '')}-[hash]`,
      plugins: [sharedZod, postalMimeWithoutSideEffects, lazyLibmime, dataBesideBundle(outdir)],
    }),
  ),
]);
