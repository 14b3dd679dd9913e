import { describe, expect, it } from 'vitest';
import { bounceText } from '../../src/explain/bounce-file.js';
import { explain } from '../../src/explain/explain.js';
import { loadProfile } from '../../src/profile/load.js';

const profile = loadProfile();

describe('explain a reply line', () => {
  const cases: [string, string, string][] = [
    ['a bare token', 'MI:SPF', '550 MI:SPF'],
    ['a lower-case token', 'mi:dma', '550 MI:DMA'],
    ['NetEase reply with its trailer', '554 DT:SPM 163 smtp14,EsCowAC3XkffVJ1ZcxWrFQ--.5037S2 1503483104,please see http://mail.163.com/help/help_spam_16.htm?ip=1.2.3.4', '554 DT:SPM'],
    ['an enhanced status code', '421 4.4.5 HL:ICC', '421 HL:ICC'],
    ['a multi-line reply', '550-MI:SPF 163 mx14', '550 MI:SPF'],
    ['a text code', '552 Illegal Attachment', '552 Illegal Attachment'],
    ['a text code with its long wording', '552 Requested mail action aborted: exceeded mailsize limit', '552 Requested mail action aborted: exceeded mailsize limit'],
    ['the 451 variant', '451 DT:SPM ,please try again', '451 DT:SPM'],
    ['an official-page variant', '554 HL:IFQ 163 mx3', '554 HL:IFQ'],
    ['a NULL sender reply', '553 Requested action not taken: NULL sender is not allowed', '553 Requested action not taken: NULL sender is not allowed'],
    ['the "suspend" spelling of the other page', '550 User suspend', '550 User suspended'],
  ];
  it.each(cases)('%s', (_n, line, code) => {
    const e = explain(line, profile, 'en');
    expect(e).toMatchObject({ known: true, code });
    expect(e.meaning).toBeTruthy();
    expect(e.remedy).toBeTruthy();
  });

  it('reads an alias from a provider YAML literally, regex characters and all', () => {
    const withAlias = { ...profile, codes: profile.codes.map((c) => (c.code === '550 MI:SPF' ? { ...c, aliases: ['550 MI:SPF (spf.fail'] } : c)) };
    expect(explain('550 MI:SPF (spf.fail 163 mx1', withAlias, 'en')).toMatchObject({ known: true, code: '550 MI:SPF' });
  });

  it('keeps the token when NetEase uses an undocumented prefix, and says so', () => {
    const e = explain('552 DT:RBL 163 mx1', profile, 'en');
    expect(e).toMatchObject({ known: true, token: 'DT:RBL', exactStatus: false });
  });

  it('names the rules that predict a code, at their severities', () => {
    const e = explain('550 MI:DMA', profile, 'en');
    expect(e.predictedBy).toContainEqual({ rule: 'dmarc-aligned-reject', severity: 'error', check: 'dmarc' });
    expect(explain('451 DT:SPM', profile, 'en').predictedBy.map((r) => r.rule)).toContain('ptr-forward-confirmed');
  });

  it('says what presend cannot predict', () => {
    expect(explain('550 Invalid User', profile, 'en')).toMatchObject({ known: true, knownBy: 'explain-only', predictedBy: [] });
    expect(explain('421 HL:IFC', profile, 'en')).toMatchObject({ knownBy: 'plan' });
  });

  it('says what usually causes a predicted code', () => {
    expect(explain('550 MI:SPF', profile, 'en').likelyCause).toContain('10-lookup limit');
    expect(explain('550 Invalid User', profile, 'en').likelyCause).toBeUndefined();
  });

  it('explains in Chinese', () => {
    expect(explain('550 MI:DMA', profile, 'zh').meaning).toBe('该邮件未被发信域的DMARC许可。');
  });

  it.each([
    ['a near-miss token suggests the right one', '550 MI:SFP', '550 MI:SPF'],
    ['free text suggests by its words', "550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy", '550 MI:DMA'],
  ])('an unknown code: %s', (_n, line, candidate) => {
    const e = explain(line, profile, 'en');
    expect(e.known).toBe(false);
    expect(e.candidates.map((c) => c.code)).toContain(candidate);
  });
});

describe('explain a bounce file', () => {
  const cases: [string, string][] = [
    ['163-mi-spf.eml', '550 MI:SPF'],
    ['126-dt-spm-deferred.eml', '451 DT:SPM'],
    ['yeah-illegal-attachment.eml', '552 Illegal Attachment'],
    ['163-mi-dma-sendmail.eml', '550 MI:DMA'],
  ];
  it.each(cases)('%s → %s', async (file, code) => {
    const e = explain(await bounceText(`fixtures/bounces/${file}`), profile, 'en');
    expect(e).toMatchObject({ known: true, code });
  });
  it('a bounce from another provider is not a NetEase code', async () => {
    expect(explain(await bounceText('fixtures/bounces/gmail-dmarc-not-netease.eml'), profile, 'en').known).toBe(false);
  });
});
