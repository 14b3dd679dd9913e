#!/usr/bin/env node
// The bundled CLI (scripts/bundle.js); the library entry point stays dist/index.js.
// CommonJS (bin/package.json): a run that imports no ES module never sets up Node's ES module loader.
'use strict';

// Node ≥ 22.1 keeps compiled code on disk between runs: the compile cache for what presend
// requires from node_modules, beside which presend keeps a fuller cache of its own bundle. Both
// live in a folder only this user can have made and written (src/cli/cache-folder.ts), never
// in the shared temporary folder where Node puts its cache when given no folder.
let program;
try {
  const loader = require('../dist/cli-bundle/load-bundled.cjs');
  loader.enableNodeCompileCache();
  program = loader.loadBundled('main');
} catch (err) {
  // A checkout that was never built, or a bundle half deleted: one line, not a stack trace.
  process.stderr.write(`presend: the command-line bundle cannot be loaded (${err.code ?? err.message}): run npm run build\n`);
  process.exit(2);
}
program.main(process.argv);
