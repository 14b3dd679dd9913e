#!/usr/bin/env node
// Part of the build: the CLI bundled with esbuild into dist/cli-bundle/ (bin/presend.js runs
// it); the library entry point stays dist/index.js. Packages loaded by path or that ship
// their own ESM graph stay outside: smtp-server (its certificates are read by path),
// file-type, yaml (src/yaml.ts requires it on use).
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
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { dataBesideBundle } from './data-beside-bundle.js';
import { lazyLibmime } from './lazy-libmime.js';
import { tldtsTables } from './tldts-tables.js';

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

rmSync(outdir, { recursive: true, force: true });
// main and each run are one CommonJS file, all they may need inside (what they load on use
// is compiled on use), for loadBundled to compile with a code cache: node:vm compiles
// scripts, not ES modules. bin/presend.js requires load-bundled.cjs, which loads them.
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
      const external = common.external.map((name) => name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');
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

const asScript = {
  ...common,
  external: common.external.filter((name) => name !== 'mailauth'),
  format: 'cjs',
  banner: { js: "const __presendImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__presendImportMetaUrl' },
};
const commandRuns = new Set();
await build({ ...asScript, entryPoints: ['dist/cli/main.js'], outfile: `${outdir}/main.cjs`, plugins: [lazyChildProcess, importsOnUse, runsApart(commandRuns)] });
await Promise.all([
  build({ ...asScript, entryPoints: ['dist/cli/load-bundled.js'], outfile: `${outdir}/load-bundled.cjs` }),
  build({ ...asScript, stdin: { contents: "export * from 'zod';", resolveDir: '.', sourcefile: 'vendor-zod.js' }, outfile: `${outdir}/vendor-zod.cjs` }),
  build({
    ...asScript,
    // Each subpath required only when asked for.
    stdin: { contents: `module.exports = { ${mailauthPaths.map((path) => `${path}: () => require(${path})`).join(', ')} };`, resolveDir: '.', sourcefile: 'mailauth.js' },
    outfile: `${outdir}/mailauth.cjs`,
    plugins: [lazyLibmime, tldtsTables(outdir), dataBesideBundle(outdir)],
  }),
  ...[...commandRuns].map((run) =>
    build({
      ...asScript,
      entryPoints: [join(runs, `${run}.js`)],
      outfile: `${outdir}/${run}.cjs`,
      plugins: [sharedZod, importsOnUse, mailauthApart, postalMimeWithoutSideEffects, lazyLibmime, tldtsTables(outdir), dataBesideBundle(outdir)],
    }),
  ),
]);

for (const file of readdirSync(outdir).filter((name) => /\.c?js$/.test(name))) {
  const bytes = readFileSync(join(outdir, file));
  // charset 'ascii' escapes strings and identifiers but leaves regex literals as written.
  const at = bytes.findIndex((byte) => byte >= 0x80);
  if (at >= 0) {
    const around = bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8');
    throw new Error(`${outdir}/${file} is not ASCII at byte ${at} (write the literal as a string with escapes): …${around}…`);
  }
  if (file.endsWith('.cjs') && file !== 'load-bundled.cjs' && /\bimport\(/.test(bytes.toString('latin1'))) throw new Error(`${outdir}/${file} calls import(), which a script compiled from a code cache cannot do on Node 20: bundle or require what it loads`);
  // A script's last line names its build: loadBundled keys its code cache by it (V8 checks only a source's length).
  if (file.endsWith('.cjs') && file !== 'vendor-zod.cjs' && file !== 'load-bundled.cjs') appendFileSync(join(outdir, file), `\n//# presend-build=${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}\n`);
}
