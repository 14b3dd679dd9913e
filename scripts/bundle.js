#!/usr/bin/env node
// Part of the build: the CLI bundled with esbuild into dist/cli-bundle/ (bin/presend.js runs
// it); the library entry point stays dist/index.js. Packages loaded by path or that ship
// their own ESM graph stay outside: smtp-server (its certificates are read by path),
// file-type, yaml (src/yaml.ts requires it on use), @postalsys/vmc (300 KB of ASN.1 that
// only a BIMI record with a= needs: every domain run would read it otherwise).
//
// A process runs one command, so the bundle is one file per thing a run needs, each a
// CommonJS script that src/cli/load-bundled.ts compiles with a V8 code cache of its own:
//  - load-bundled.cjs: the loader, which bin/presend.js requires;
//  - main.cjs: commander and the command definitions (src/cli/*.ts), which hold no state;
//  - <command>.cjs: one build per command's run (src/cli/run/<command>.ts) with everything
//    it imports, what it loads on use included (compiled only if used);
//  - mailauth.cjs: mailauth's SPF, DMARC and DKIM evaluators, loaded when a check needs one;
//  - vendor-zod.cjs: zod, for a profile or config of one's own.
// Builds share nothing, so a module may be in several: the runs' copies never meet (one
// command a process), and the few small modules main shares with a run are stateless but
// for errors.ts, whose UsageError is recognised by a brand, not by class identity.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { dataBesideBundle } from './data-beside-bundle.js';
import { lazyLibmime } from './lazy-libmime.js';
import { tldtsTables } from './tldts-tables.js';

const outdir = 'dist/cli-bundle';
const runs = join('dist', 'cli', 'run');
// main and each run are one CommonJS script, all they may need inside (what they load on
// use is compiled on use), for loadBundled to compile with a code cache: node:vm compiles
// scripts, not ES modules.
const script = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['smtp-server', 'file-type', 'yaml', '@postalsys/vmc'],
  banner: { js: "const __presendImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__presendImportMetaUrl' },
  logLevel: 'warning',
  // Every start reads each script whole, and V8 hashes and keeps its source: dropping
  // comments and whitespace made the offline draft run ≈ 12 ms faster on Node 24. Names stay,
  // so stack traces still read. The output is held to ASCII (checked below), which
  // loadBundled reads as latin1, exactly and faster than UTF-8.
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
 * main's dynamic imports are the commands' runs: each becomes a call of loadBundled
 * (src/cli/load-bundled.ts), which loads the run's own build with its code cache. The runs
 * found are collected, so the runs built are exactly those main loads; any other dynamic
 * import in main would be state it shares with a run.
 */
function runsApart(found) {
  return {
    name: 'runs-apart',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = resolve(args.resolveDir, args.path);
        if (dirname(file) !== resolve(runs)) return { errors: [{ text: `${relative(process.cwd(), args.importer)} imports ${args.path} on use: only a command's run (src/cli/run/) may be, see scripts/bundle.js` }] };
        const run = relative(runs, file).replace(/\.js$/, '');
        found.add(run);
        return { path: run, namespace: 'command-run' };
      });
      // The loader bin/presend.js required, not a copy: it is where import() works (see importsOnUse).
      b.onLoad({ filter: /.*/, namespace: 'command-run' }, (args) => ({ contents: `module.exports = require('./load-bundled.cjs').loadBundled(${JSON.stringify(args.path)});`, loader: 'js' }));
      b.onResolve({ filter: /^\.\/load-bundled\.cjs$/ }, (args) => (args.namespace === 'command-run' ? { path: args.path, external: true } : undefined));
    },
  };
}

/**
 * zod (760 KB bundled) is stateless and every run may need it (a profile of one's own, a
 * config): one vendor-zod.cjs that each command's build requires on use, not a copy per
 * command. From node_modules it would load in twice the time (its hundred ESM files).
 */
const sharedZod = {
  name: 'shared-zod',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: './vendor-zod.cjs', external: true }));
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

/**
 * A script that node:vm compiled from a code cache cannot import() on Node 20 ("A dynamic
 * import callback was not specified"), so nothing in main or a run may. A built-in a run
 * loads on use is required instead; an ES-only package loaded on use (file-type, a 90 KB
 * graph few drafts need: bundled in, it made every draft run ≈ 7 ms slower) is imported by
 * loadBundled on the script's behalf, through the __presendImport it hands each script.
 * The build fails below if an import() is left.
 */
const ownCode = resolve('dist') + sep;
const importsOnUse = {
  name: 'imports-on-use',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-on-use' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin-on-use' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(ownCode)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const external = script.external.map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');
      return /\bimport\(/.test(source) ? { contents: source.replace(new RegExp(`\\bimport\\((['"](?:${external})['"])\\)`, 'g'), '__presendImport($1)'), loader: 'js' } : undefined;
    });
  },
};

/**
 * mailauth's evaluators (src/checks/mailauth.ts) are required by path on first use, from
 * node_modules: about 110 CommonJS files (joi, @hapi/*, libmime, encoding-japanese), each
 * resolved, read and compiled on every domain run (≈ 80 ms of blocking load). The bundle
 * makes them one script of their own, mailauth.cjs, with its own code cache and libmime's
 * load-time work deferred (lazyLibmime), which the runs load as they loaded the package:
 * once a check first needs one, after the run's first questions are out. Kept out of the
 * runs' scripts, it does not delay those questions. The rewrite must find the lines it
 * replaces, or the build fails.
 */
const mailauthLoader = 'dist/checks/mailauth.js';
const mailauthPaths = [...new Set(readFileSync(mailauthLoader, 'utf8').match(/'mailauth\/lib\/[\w/.-]+\.js'/g) ?? [])];
const mailauthApart = {
  name: 'mailauth-apart',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]checks[\\/]mailauth\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const line = 'loaded.set(path, require(path));';
      // The module's own require (createRequire) goes: what it loads comes from mailauth.cjs.
      const ownRequire = 'const require = createRequire(import.meta.url);';
      if (mailauthPaths.length === 0 || source.split(line).length !== 2 || source.split(ownRequire).length !== 2) throw new Error(`scripts/bundle.js: ${args.path} no longer loads mailauth as mailauthApart expects: review the rewrite`);
      return { contents: source.replace(ownRequire, '').replace(line, () => "loaded.set(path, require('./load-bundled.cjs').loadBundled('mailauth')[path]());"), loader: 'js' };
    });
    b.onResolve({ filter: /^\.\/load-bundled\.cjs$/ }, (args) => (/[\\/]dist[\\/]checks[\\/]mailauth\.js$/.test(args.importer) ? { path: args.path, external: true } : undefined));
  },
};

rmSync(outdir, { recursive: true, force: true });
const commandRuns = new Set();
await build({ ...script, entryPoints: ['dist/cli/main.js'], outfile: `${outdir}/main.cjs`, plugins: [lazyChildProcess, importsOnUse, runsApart(commandRuns)] });
await Promise.all([
  build({ ...script, entryPoints: ['dist/cli/load-bundled.js'], outfile: `${outdir}/load-bundled.cjs` }),
  build({ ...script, stdin: { contents: "export * from 'zod';", resolveDir: '.', sourcefile: 'vendor-zod.js' }, outfile: `${outdir}/vendor-zod.cjs` }),
  build({
    ...script,
    // Each subpath required only when asked for.
    stdin: { contents: `module.exports = { ${mailauthPaths.map((path) => `${path}: () => require(${path})`).join(', ')} };`, resolveDir: '.', sourcefile: 'mailauth.js' },
    outfile: `${outdir}/mailauth.cjs`,
    plugins: [lazyLibmime, tldtsTables(outdir), dataBesideBundle(outdir)],
  }),
  ...[...commandRuns].map((run) =>
    build({
      ...script,
      entryPoints: [join(runs, `${run}.js`)],
      outfile: `${outdir}/${run}.cjs`,
      plugins: [sharedZod, importsOnUse, mailauthApart, postalMimeWithoutSideEffects, lazyLibmime, tldtsTables(outdir), dataBesideBundle(outdir)],
    }),
  ),
]);

for (const file of readdirSync(outdir).filter((name) => name.endsWith('.cjs'))) {
  const bytes = readFileSync(join(outdir, file));
  // charset 'ascii' escapes strings and identifiers but leaves regex literals as written.
  const at = bytes.findIndex((byte) => byte >= 0x80);
  if (at >= 0) {
    const around = bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8');
    throw new Error(`${outdir}/${file} is not ASCII at byte ${at} (write the literal as a string with escapes): …${around}…`);
  }
  if (file !== 'load-bundled.cjs' && /\bimport\(/.test(bytes.toString('latin1'))) throw new Error(`${outdir}/${file} calls import(), which a script compiled from a code cache cannot do on Node 20: bundle or require what it loads`);
  if (file === 'vendor-zod.cjs' || file === 'load-bundled.cjs') continue;
  // A script is written as the function loadBundled calls (so that it compiles the file as
  // read, with no wrapped copy of a source of up to a megabyte), and its last line names
  // its build: loadBundled keys its code cache by it (V8 checks only a source's length).
  const build = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  writeFileSync(join(outdir, file), `(function (exports, require, module, __filename, __dirname, __presendImport) {${bytes.toString('latin1')}\n})\n//# presend-build=${build}\n`, 'latin1');
}
