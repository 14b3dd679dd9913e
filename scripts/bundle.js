#!/usr/bin/env node
// Part of the build: the CLI bundled with esbuild into dist/cli-bundle/ (bin/presend.js runs
// it). One file per lazily loaded command instead of a hundred modules to resolve and link
// cut start-up by a third. Packages loaded by path or that ship their own ESM graph stay
// outside: mailauth (its subpaths are required at run time), smtp-server, file-type.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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

rmSync('dist/cli-bundle', { recursive: true, force: true });
await build({
  entryPoints: ['dist/cli/main.js'],
  outdir: 'dist/cli-bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['mailauth', 'smtp-server', 'file-type'],
  // Bundled CommonJS packages call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __presendCreateRequire } from 'node:module'; const require = __presendCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
