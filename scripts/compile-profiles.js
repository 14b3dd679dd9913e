#!/usr/bin/env node
// Part of the build: every rules/*.yaml, validated exactly as a run validates it, written to
// dist/rules/<name>.json with the SHA-256 of the YAML it came from (see src/profile/compiled.ts).
// The YAML stays the one source of truth; a run uses the JSON only while the hashes match.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledDir, sha256 } from '../dist/profile/compiled.js';
import { rulesDir } from '../dist/profile/load.js';
import { validateDnsblText, validateProfileText } from '../dist/profile/validate.js';

mkdirSync(compiledDir, { recursive: true });
for (const name of readdirSync(rulesDir).filter((f) => f.endsWith('.yaml')).sort()) {
  const file = join(rulesDir, name);
  const text = readFileSync(file, 'utf8');
  const data = name === 'dnsbl.yaml' ? validateDnsblText(text, file) : validateProfileText(text, file);
  writeFileSync(join(compiledDir, name.replace(/\.yaml$/, '.json')), JSON.stringify({ sha256: sha256(text), data }) + '\n');
}
