/**
 * The build's compiled profiles (dist/rules/*.json) against their YAML: the same data,
 * built from the same bytes — and a run uses a compiled form only while that holds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCompiled, sha256 } from '../../src/profile/compiled.js';
import { validateDnsblText, validateProfileText } from '../../src/profile/validate.js';

const yamls = readdirSync('rules').filter((f) => f.endsWith('.yaml'));

describe('dist/rules/*.json is the YAML, compiled', () => {
  it.each(yamls)('%s', (name) => {
    const text = readFileSync(join('rules', name), 'utf8');
    const compiled = JSON.parse(readFileSync(join('dist', 'rules', name.replace(/\.yaml$/, '.json')), 'utf8')) as { sha256: string; data: unknown };
    expect(compiled.sha256).toBe(sha256(text));
    const validated = name === 'dnsbl.yaml' ? validateDnsblText(text, name) : validateProfileText(text, name);
    expect(compiled.data).toEqual(JSON.parse(JSON.stringify(validated)));
  });
});

describe('a run uses the compiled form only while it was built from the same bytes', () => {
  const text = readFileSync('rules/netease.yaml', 'utf8');
  it('the same YAML: the compiled data', () => {
    expect(readCompiled<{ provider: string }>(join('rules', 'netease.yaml'), 'rules', text, join('dist', 'rules'))?.provider).toBe('netease');
  });
  it('a YAML edited since the build: none, so the YAML is parsed', () => {
    expect(readCompiled(join('rules', 'netease.yaml'), 'rules', text.replace('The HELO/EHLO name must not be empty.', 'Edited.'), join('dist', 'rules'))).toBeNull();
  });
  it('a profile outside rules/: none', () => {
    expect(readCompiled(join('fixtures', 'netease.yaml'), 'rules', text, join('dist', 'rules'))).toBeNull();
  });
});
