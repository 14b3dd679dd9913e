#!/usr/bin/env node
// The bundled CLI (scripts/bundle.js); the library entry point stays dist/index.js.
// CommonJS (bin/package.json): a run that imports no ES module never sets up Node's ES module loader.
'use strict';

// Node ≥ 22.1 keeps compiled code on disk between runs (in the OS temporary folder, or
// NODE_COMPILE_CACHE): the compile cache for what presend requires from node_modules, beside
// which presend keeps a fuller cache of its own bundle (src/cli/load-bundled.ts).
require('node:module').enableCompileCache?.();
require('../dist/cli-bundle/load-bundled.cjs').loadBundled('main').main(process.argv);
