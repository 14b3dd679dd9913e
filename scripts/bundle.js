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
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { dataBesideBundle } from './data-beside-bundle.js';
import { lazyLibmime } from './lazy-libmime.js';

const requireHere = createRequire(import.meta.url);
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
  // Node reads an ES module's source through TextDecoder and V8 scans all of it, comments
  // too, on every start (the compile cache skips compiling, not reading): dropping comments
  // and whitespace made the offline draft run ≈ 12 ms faster on Node 24. Names stay, so
  // stack traces still read. ASCII-only output (checked below) keeps each module one-byte
  // text; a single non-ASCII character makes the decode and the scan take the slow path.
  minifyWhitespace: true,
  charset: 'ascii',
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
 * An ES `import` of node:fs, node:process or node:util makes Node build the module's
 * namespace from every export's value, and reading fs.promises loads fs/promises, streams
 * and readline: 30–40 internal modules, ≈ 4 ms of a Node 24 start-up that `require` does
 * not pay. presend's own imports of these three are served from the bundle's require
 * instead, by a module exporting each data property as a pure read, so that esbuild keeps
 * only the names imported (esbuild's own CommonJS interop would copy every property at
 * start-up). Dependencies keep their imports: one that takes the whole namespace (fdir's
 * `import * as fs`) would read every export, fs.F_OK's deprecation warning on Node 24 too.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(fs|process|util)$/ }, (args) =>
      args.kind === 'import-statement' && !/[\\/]node_modules[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'required-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'required-builtin' }, (args) => {
      const builtin = requireHere(`node:${args.path}`);
      const names = Object.entries(Object.getOwnPropertyDescriptors(builtin))
        .filter(([name, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
        .map(([name]) => name);
      const reads = names.map((name) => `export const ${name} = /* @__PURE__ */ (() => builtin.${name})();`);
      return { contents: [`const builtin = require('node:${args.path}');`, 'export default builtin;', ...reads].join('\n'), loader: 'js' };
    });
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
await build({ ...common, entryPoints: ['dist/cli/main.js'], outfile: `${outdir}/main.js`, plugins: [builtinsByRequire, lazyChildProcess, runsApart(commandRuns)] });
await Promise.all([
  build({ ...common, stdin: { contents: "export * from 'zod';", resolveDir: '.', sourcefile: 'vendor-zod.js' }, outfile: `${outdir}/vendor-zod.js` }),
  ...[...commandRuns].map((run) =>
    build({
      ...common,
      entryPoints: [join(runs, run)],
      outdir,
      splitting: true,
      chunkNames: `${run.replace(/\.js$/, '')}-[hash]`,
      plugins: [builtinsByRequire, sharedZod, postalMimeWithoutSideEffects, lazyLibmime, dataBesideBundle(outdir)],
    }),
  ),
]);

// charset 'ascii' escapes strings and identifiers but leaves regex literals as written.
for (const file of readdirSync(outdir).filter((name) => name.endsWith('.js'))) {
  const bytes = readFileSync(join(outdir, file));
  const at = bytes.findIndex((byte) => byte >= 0x80);
  if (at >= 0) {
    const around = bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8');
    throw new Error(`${outdir}/${file} is not ASCII at byte ${at} (write the literal as a string with escapes): …${around}…`);
  }
}
