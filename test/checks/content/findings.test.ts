// The content engine through the CLI, as a user meets it: one warning per signal with the
// provider's spam token, content-spam-likely at error with the score, every profile mapping it.
import { describe, expect, it } from 'vitest';
import { scanHtml } from '../../../src/checks/content/html-scan.js';
import { presend } from '../../helpers/cli.js';

interface JsonFinding {
  rule: string;
  provider: string;
  severity: string;
  code: string | null;
  evidence: Record<string, unknown>;
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as { reports: { findings: JsonFinding[] }[] }).reports[0]!.findings;

describe('content findings', () => {
  it('a phishing-shaped draft: content-spam-likely at error in every profile, with the score, the threshold and the signals', async () => {
    const r = await presend(['eml', 'fixtures/content/spam-today.eml', '--offline', '--provider', 'netease,gmail,outlook,qq,yahoo', '--format', 'json']);
    expect(r.status).toBe(1);
    const likely = findingsOf(r.stdout).filter((f) => f.rule === 'content-spam-likely');
    expect(likely.map((f) => [f.provider, f.severity, f.code])).toEqual([
      ['netease', 'error', '554 DT:SPM'],
      ['gmail', 'error', '550 5.7.1 This message is likely unsolicited email.'],
      ['outlook', 'error', '550 5.7.520 Message blocked because it contains content identified as spam. AS(4810)'],
      ['qq', 'error', '550 Mail content denied'],
      ['yahoo', 'error', '554 Message not allowed - [PH01] Email not accepted for policy reasons.'],
    ]);
    const evidence = likely[0]!.evidence as { score: number; threshold: number; signals: Record<string, number> };
    expect(evidence.score).toBeGreaterThanOrEqual(evidence.threshold);
    expect(Object.keys(evidence.signals)).toEqual(expect.arrayContaining(['link-shortener', 'html-hidden-text', 'msgid-ratware-hash']));
    expect(Object.values(evidence.signals).reduce((a, b) => a + b, 0)).toBeCloseTo(evidence.score, 5);
  });

  it('each signal is its own NetEase DT:SPM warning, with its source and its rates on the tuning corpus', async () => {
    const r = await presend(['eml', 'fixtures/content/spam-today.eml', '--offline', '--format', 'json']);
    const signals = findingsOf(r.stdout).filter((f) => f.rule === 'content-signal');
    expect(signals.length).toBeGreaterThan(10);
    for (const f of signals) {
      expect([f.severity, f.code]).toEqual(['warning', '554 DT:SPM']);
      expect(f.evidence).toMatchObject({ signal: expect.any(String), weight: expect.any(Number), source: expect.any(String), ratesOnTuningCorpus: { spam: expect.any(Number), ham: expect.any(Number) } });
    }
  });

  it('a well-made newsletter: no content finding, exit 0', async () => {
    const r = await presend(['eml', 'fixtures/content/newsletter-clean.eml', '--offline', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(findingsOf(r.stdout).filter((f) => f.rule.startsWith('content-'))).toEqual([]);
  });

  it('the text report lists the signals heaviest first, in Chinese too', async () => {
    const r = await presend(['eml', 'fixtures/content/spam-today.eml', '--offline', '--lang', 'zh']);
    const line = r.stdout.split('\n').find((l) => l.includes('content-spam-likely'))!;
    expect(line).toMatch(/草稿内容得分 [\d.]+，达到垃圾邮件阈值 4（信号：msgid-outlook-time \(5\.1\)、msgid-ratware-hash \(5\)/);
  });
});

describe('the HTML scan is bounded', () => {
  it.each([
    ['20,000 nested elements', '<div>'.repeat(20_000) + 'text' + '</div>'.repeat(20_000)],
    ['50,000 links', '<a href="https://x.example/">x</a>'.repeat(50_000)],
    ['an unclosed comment and attributes without end', '<!-- ' + '<a href="'.repeat(10_000)],
  ])('%s: scanned, lists capped', (_name, html) => {
    const scan = scanHtml(html);
    expect(scan.anchors.length).toBeLessThanOrEqual(500);
    expect(scan.resources.length + scan.textUrls.length).toBeLessThanOrEqual(1000);
  });
});
