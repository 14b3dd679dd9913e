#!/usr/bin/env node
// The bundled CLI (scripts/bundle.js); the library entry point stays dist/index.js.
import { main } from '../dist/cli-bundle/main.js';

await main(process.argv);
