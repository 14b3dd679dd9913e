#!/usr/bin/env node
// Part of the build: the CLI bundled with esbuild into dist/cli-bundle/ (bin/presend.js runs
// it). One file per lazily loaded command instead of a hundred modules to resolve and link
// cut start-up by a third. Packages loaded by path or that ship their own ESM graph stay
// outside: mailauth (its subpaths are required at run time), smtp-server, file-type.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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
  logLevel: 'warning',
});
