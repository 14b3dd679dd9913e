#!/usr/bin/env node
// Part of the build: every rules/*.yaml, validated exactly as a run validates it, written to
// dist/rules/<name>.json beside a copy of the YAML bytes it came from, dist/rules/<name>.yaml
// (see src/profile/compiled.ts), and for a provider's profile what `explain` recognises a reply
// by, dist/rules/<name>.shortlist.json (src/explain/shortlist.ts). The YAML stays the one
// source of truth; a run uses the JSON only while the YAML's bytes are those of the copy.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shortlistOf } from '../dist/explain/shortlist.js';
import { compiledPathsFor } from '../dist/profile/compiled.js';
import { rulesDir } from '../dist/profile/load.js';
import { validateContentText, validateDnsblText, validateProfileText, validateSharedRulesText } from '../dist/profile/validate.js';

for (const name of readdirSync(rulesDir).filter((f) => f.endsWith('.yaml')).sort()) {
  const file = join(rulesDir, name);
  const text = readFileSync(file, 'utf8');
  const validate = { 'dnsbl.yaml': validateDnsblText, 'content.yaml': validateContentText, 'posture.yaml': validateSharedRulesText }[name] ?? validateProfileText;
  const data = validate(text, file);
  const paths = compiledPathsFor(file, rulesDir);
  mkdirSync(join(paths.data, '..'), { recursive: true });
  writeFileSync(paths.data, JSON.stringify(data) + '\n');
  if (validate === validateProfileText) writeFileSync(paths.shortlist, JSON.stringify(shortlistOf(data)) + '\n');
  copyFileSync(file, paths.source);
}
