#!/usr/bin/env node
// The bundled CLI (scripts/bundle.js); the library entry point stays dist/index.js.
import module from 'node:module';

// Node ≥ 22.1 keeps the compiled code of presend and its dependencies on disk between runs
// (in the OS temporary folder, or NODE_COMPILE_CACHE): start-up is most of a short run.
module.enableCompileCache?.();
const { main } = await import('../dist/cli-bundle/main.js');
await main(process.argv);
