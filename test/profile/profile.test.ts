import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { identify, isIdentified } from '../../src/explain/identify.js';
import { defaultProfilePath, loadProfile, loadProfiles } from '../../src/profile/load.js';

const profile = loadProfile();
const seedReplies = readFileSync('fixtures/seed/netease-seed-replies.txt', 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));

describe('rules/netease.yaml', () => {
  it('loads and names its provider', () => {
    expect(profile.provider).toBe('netease');
    expect(profile.codes.length).toBeGreaterThanOrEqual(seedReplies.length);
  });

  it.each(seedReplies)('knows the seed reply %s under the same status', (reply) => {
    const result = identify(reply, profile);
    expect(isIdentified(result)).toBe(true);
    if (isIdentified(result)) expect(result.entry.code.slice(0, 3)).toBe(reply.slice(0, 3));
  });

  it.each(['550 MI:DMA', '554 HL:IFQ', '554 HL:ITC', '451 HL:MEP', '554 HL:ICC', '451 DT:RBL', '550 RP:QRC'])('carries the official-page code %s', (code) => {
    expect(profile.codeByText.has(code)).toBe(true);
  });

  it('marks every code with how presend knows it, and predicted codes with their rules', () => {
    for (const entry of profile.codes) {
      const rules = profile.predictedBy.get(entry.code) ?? [];
      expect(entry.knownBy === 'predicted').toBe(rules.length > 0);
      expect(entry.meaning.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.remedy.en.length).toBeGreaterThan(5);
    }
  });

  it('keeps its limits with a source, marked as assumptions where NetEase publishes nothing', () => {
    expect(profile.limits['max-message-size']).toMatchObject({ value: 50 * 1024 * 1024, unit: 'bytes', assumption: true });
    expect(profile.limits['max-recipients']?.assumption).toBe(true);
  });

  it("keeps NetEase's attachment list as data", () => {
    expect(profile.lists['forbidden-attachment-extensions']).toEqual(['.uu', '.pif', '.scr', '.mim', '.hqx', '.bhx', '.cmd', '.vbs', '.bat', '.com', '.vbe', '.vb', '.js', '.wsh']);
  });
});

describe('a broken profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'presend-profile-'));
  const original = readFileSync(defaultProfilePath(), 'utf8');
  const cases: [string, (yaml: string) => string, RegExp][] = [
    ['not YAML', () => 'codes: [\n  - {', /not valid YAML/],
    ['a rule with an unknown severity', (y) => y.replace('    severity: error\n    code: "550 MI:NHD"', '    severity: fatal\n    code: "550 MI:NHD"'), /rules\[0\]\.severity \(helo-not-empty\)/],
    ['a rule naming a code not in codes', (y) => y.replace('    code: "550 MI:NHD"\n    message', '    code: "550 MI:XYZ"\n    message'), /rules\[0\]\.code \(helo-not-empty\): "550 MI:XYZ" is not in codes/],
    ['a code without a remedy', (y) => y.replace(/    remedy:\n      zh: 请检查是否有用户发送病毒或者垃圾邮件，并核对发送列表有效性。\n      en: [^\n]*\n/, ''), /codes\[0\]\.remedy \(421 HL:REP\)/],
    ['an unknown top-level key', (y) => `${y}\nextra: 1\n`, /Unrecognized key/],
    ['a rule referring to a missing list', (y) => y.replace('inList: forbidden-attachment-extensions', 'inList: no-such-list'), /list "no-such-list" is not in lists/],
    ['a duplicated key', (y) => y.replace('provider: netease', 'provider: netease\nprovider: other'), /duplicate key "provider" \(line \d+\)/],
  ];
  it.each(cases)('%s is one line naming the file and the field', (_name, mutate, pattern) => {
    const file = join(dir, `${_name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, mutate(original));
    let error: unknown;
    try {
      loadProfile(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });
});

describe('loadProfiles: the profiles of one run', () => {
  it('gives what loadProfile gives for each file, shipped or of one\'s own, in the order asked', async () => {
    const own = join(mkdtempSync(join(tmpdir(), 'presend-profiles-')), 'acme.yaml');
    writeFileSync(own, readFileSync(defaultProfilePath('qq'), 'utf8').replace(/^provider: qq$/m, 'provider: acme'));
    const files = [defaultProfilePath('gmail'), own, defaultProfilePath('netease')];
    const loaded = await loadProfiles(files);
    expect(loaded.map((p) => p.provider)).toEqual(['gmail', 'acme', 'netease']);
    expect(loaded).toEqual(files.map((file) => loadProfile(file)));
  });

  it('refuses a profile that does not validate, naming the file', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'presend-profiles-')), 'broken.yaml');
    writeFileSync(broken, 'provider: broken\ncodes: 3\n');
    await expect(loadProfiles([defaultProfilePath('netease'), broken])).rejects.toThrow(/broken\.yaml/);
  });
});
