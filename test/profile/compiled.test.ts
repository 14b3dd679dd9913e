/**
 * The build's compiled profiles (dist/rules/*.json) against their YAML: the same data,
 * built from the same bytes — and a run uses a compiled form only while that holds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortlistOf } from '../../src/explain/shortlist.js';
import { readCompiled } from '../../src/profile/compiled.js';
import type { ProfileFile } from '../../src/profile/schema.js';
import { validateContentText, validateDnsblText, validateProfileText, validateSharedRulesText } from '../../src/profile/validate.js';

const yamls = readdirSync('rules').filter((f) => f.endsWith('.yaml'));

describe('dist/rules/*.json is the YAML, compiled', () => {
  it.each(yamls)('%s', (name) => {
    const bytes = readFileSync(join('rules', name));
    expect(readFileSync(join('dist', 'rules', name)).equals(bytes)).toBe(true);
    const compiled = JSON.parse(readFileSync(join('dist', 'rules', name.replace(/\.yaml$/, '.json')), 'utf8')) as unknown;
    const text = bytes.toString('utf8');
    const validate = { 'dnsbl.yaml': validateDnsblText, 'content.yaml': validateContentText, 'posture.yaml': validateSharedRulesText }[name] ?? validateProfileText;
    const validated = validate(text, name);
    expect(compiled).toEqual(JSON.parse(JSON.stringify(validated)));
    // What explain tells first whether the profile could know a reply by: derived from the same data.
    if (validate === validateProfileText) {
      const shortlist = JSON.parse(readFileSync(join('dist', 'rules', name.replace(/\.yaml$/, '.shortlist.json')), 'utf8')) as unknown;
      expect(shortlist).toEqual(shortlistOf(validated as ProfileFile));
      expect(readCompiled(join('rules', name), 'rules', bytes, join('dist', 'rules'), 'shortlist')).toEqual(shortlist);
    }
  });
});

describe('a run uses the compiled form only while it was built from the same bytes', () => {
  const bytes = readFileSync('rules/netease.yaml');
  const compiledFor = (file: string, yaml: Buffer) => readCompiled<{ provider: string }>(file, 'rules', yaml, join('dist', 'rules'));
  it.each([
    ['the same YAML: the compiled data', join('rules', 'netease.yaml'), bytes, 'netease'],
    ['one character edited since the build (same length): none, so the YAML is parsed', join('rules', 'netease.yaml'), Buffer.from(bytes.toString('utf8').replace('The HELO/EHLO name must not be empty.', 'The HELO/EHLO name must not be empty!')), undefined],
    ['a line added at the end: none', join('rules', 'netease.yaml'), Buffer.concat([bytes, Buffer.from('# edited\n')]), undefined],
    ['a profile outside rules/: none', join('fixtures', 'netease.yaml'), bytes, undefined],
    ['a YAML the build never saw: none', join('rules', 'acme.yaml'), bytes, undefined],
  ])('%s', (_case, file, yaml, provider) => {
    expect(compiledFor(file, yaml)?.provider).toBe(provider);
  });
});
