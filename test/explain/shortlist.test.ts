/**
 * `explain` loads only the catalogues that could know a reply (src/explain/shortlist.ts).
 * What it says must be what explainAcross says over every catalogue: here, over every code,
 * alias, token and wording of the five shipped profiles, every bounce in fixtures/bounces,
 * replies with another provider's marks, and replies nobody knows — in both languages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainAcross } from '../../src/explain/explain.js';
import { couldKnow, explainFiles, pasteClues, shortlistOf } from '../../src/explain/shortlist.js';
import { loadProfiles } from '../../src/profile/load.js';
import { profilePathsFor } from '../../src/profile/providers.js';

const files = profilePathsFor('all');
const every = await loadProfiles(files);
// The shortlists the build writes (test/profile/compiled.test.ts holds dist/rules/*.shortlist.json to them), and the profiles loaded once.
const byFile = new Map(files.map((file, i) => [file, every[i]!]));
const source = { shortlistFor: (file: string) => shortlistOf(byFile.get(file)!), load: async (some: readonly string[]) => some.map((file) => byFile.get(file)!) };

const pastes = [
  ...every.flatMap((p) =>
    p.codes.flatMap((c) => [c.code, c.token, c.code.replace(/^\d{3} /, ''), `421 ${c.token}`, `Error: Message failed: ${c.code}`, ...(c.aliases ?? [])]),
  ),
  ...readdirSync('fixtures/bounces').map((f) => readFileSync(`fixtures/bounces/${f}`, 'utf8')),
  '554 DT:SPM 163 smtp9,DcCowAD3XkffVJ1ZcxWrFQ--.5037S2 1503483104',
  '550 5.7.26 This mail has been blocked (gsmtp)',
  '550 5.7.1 Unauthenticated email from example.com is not accepted',
  '550 5.7.1 nothing anybody documents',
  '452 4.2.2 The email account that you tried to reach is over quota. mx.google.com',
  'host 163mx01.mxmail.netease.com said: 550 something new',
  'MI:SFP',
  'the server said no',
  'Diagnostic-Code: smtp; 550 MI:SPF\n',
];

describe('explain over the shortlisted catalogues says what it says over all of them', () => {
  it(`${pastes.length} pastes, in English and Chinese`, async () => {
    let loadedFewer = 0;
    for (const lang of ['en', 'zh'] as const) {
      for (const paste of pastes) {
        const { explanation, profiles } = await explainFiles(paste, files, lang, source);
        expect({ paste, explanation }).toEqual({ paste, explanation: explainAcross(paste, every, lang) });
        // Every provider the explanation names is among the profiles loaded (the text report labels them).
        for (const provider of [explanation.provider, ...(explanation.otherProviders ?? [])].filter((p) => p !== 'unknown')) {
          expect(profiles.map((p) => p.provider)).toContain(provider);
        }
        if (profiles.length < every.length) loadedFewer++;
      }
    }
    // Not a filter that lets everything through.
    expect(loadedFewer).toBeGreaterThan(pastes.length);
  });
});

describe('couldKnow', () => {
  const netease = shortlistOf(every[0]!);
  it.each([
    ['a token it holds', '550 MI:SPF', true],
    ['its token in another case', 'dt:spm 163 smtp9', true],
    ['a wording it holds', 'smtplib.SMTPSenderRefused: (553, b"Mail from must equal authorized user")', true],
    ['its host mark alone', 'relay=163mx01.mxmail.netease.com said: 550 something new', true],
    ['a DSN whose diagnostic line holds its token', 'Reporting-MTA: dns; mx.example\n\nDiagnostic-Code: smtp;\n 550 MI:SPF\n', true],
    ['another provider\'s reply', '550 5.7.26 This mail has been blocked (gsmtp)', false],
    ['nothing it knows', 'the server said no', false],
  ])('%s', (_case, paste, expected) => {
    expect(couldKnow(pasteClues(paste), netease)).toBe(expected);
  });
});
