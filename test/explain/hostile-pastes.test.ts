/**
 * `explain` on the pastes issue 23 found it wrong about: a token whose status the paste
 * does not show, host marks it missed, a GBK reply in Python's bytes, a Postfix DSN whose
 * diagnostic is Postfix's own, curl's error lines, a success reply, a megabyte of
 * diagnostic lines, and control characters that must not reach JSON raw.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/explain/explain.js';
import { loadProfile } from '../../src/profile/load.js';
import { presend } from '../helpers/cli.js';

const netease = loadProfile();

describe('explain reads what the paste says, and no more', () => {
  it('a token without a readable status: each status says its own meaning and remedy; none is passed off as the token\'s', () => {
    const e = explain('DT:SPM 163 smtp9,DcCowAD3 1503483104', netease, 'en');
    expect(e.status).toBeNull();
    expect(e.code).toBeNull();
    expect(e.statuses.map((s) => s.status)).toEqual(['451', '550', '554']);
    expect(e.remedy).toMatch(/^451: .*\| 550(, 554)?: /);
    expect(e.remedy!.startsWith('Keep the message queued')).toBe(false);
  });

  it.each([
    ['163 smtp12,EMCowACnzwc 1547175487', 'submission'],
    ['554 DT:SPM smtp1,EMCowACnzwc_Bj 1547175487', 'submission'],
    ['554 DT:SPM please see http://mail.163.com/help/help_spam_16.htm?ip=1.2.3.4&hostid=gzsmtp5&time=1', 'submission'],
    ['554 DT:SPM 126 mx3,QMCowAD3 1577559249', 'mx'],
  ])('host mark in %s: the %s side', (paste, side) => {
    expect(explain(paste.startsWith('163') ? `554 DT:SPM ${paste}` : paste, netease, 'en').side).toBe(side);
  });

  it("Python's bytes of NetEase's GBK reply 用户无权登陆 are 550 User has no permission", () => {
    const e = explain("(550, '\\xd3\\xc3\\xbb\\xa7\\xce\\xde\\xc8\\xa8\\xb5\\xc7\\xc2\\xbd')", netease, 'en');
    expect(e).toMatchObject({ known: true, code: '550 User has no permission', status: '550', reportedOnly: true });
  });

  it("a Postfix DSN whose diagnostic is Postfix's own (X-Postfix): the Status field is read, nothing is echoed whole", () => {
    const dsn = ['Reporting-MTA: dns; mail.shop.example', '', 'Final-Recipient: rfc822; a@163.com', 'Action: failed', 'Status: 5.3.4', `Diagnostic-Code: X-Postfix; message size 60000000 exceeds size limit 52428800 of server mx.163.com ${'x'.repeat(3000)}`].join('\n');
    const e = explain(dsn, netease, 'en');
    expect(e.known).toBe(false);
    expect(e.enhancedStatus).toBe('5.3.4');
    expect(e.input.length).toBeLessThanOrEqual(2001);
  });

  it.each([
    ['curl: (55) RCPT failed: 550', '550'],
    ['curl: (55) MAIL failed: 553', '553'],
  ])('%s: the status is read', (paste, status) => {
    expect(explain(paste, netease, 'en').status).toBe(status);
  });

  it.each([
    ['curl: (55) RCPT failed: 550', 'RCPT', '550', /refused a step/],
    ['curl: (67) Login denied', 'AUTH', null, /refused the login/],
    ['curl: (8) Weird server reply', undefined, null, /not SMTP/],
  ])("curl's line %s: the step, the status if quoted, and what curl's number means", (paste, step, status, meaning) => {
    const e = explain(paste, netease, 'en');
    expect(e.step).toBe(step);
    expect(e.status).toBe(status);
    expect(e.meaning).toMatch(meaning);
  });

  it('250 OK is a success reply, not a refusal: exit 0', async () => {
    const r = await presend(['explain', '250 OK', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).explanation).toMatchObject({ known: false, success: true, status: '250' });
  });

  it('a megabyte of diagnostic lines is read from the lines that can hold a reply, and echoed bounded', async () => {
    const lines = Array.from({ length: 14_000 }, (_, i) => `Diagnostic-Code: smtp; 550 5.7.1 a long refusal text from somewhere, number ${i}`);
    const paste = ['Received: from x', ...lines, '554 DT:SPM 163 mx13,QMCowAD3 1577559249'].join('\n');
    const e = explain(paste, netease, 'en');
    expect(e.input.length).toBeLessThanOrEqual(2001);
    expect(e.reply.line.length).toBeLessThanOrEqual(2001);
    const r = await presend(['explain', '-', '--format', 'json'], {}, paste);
    expect(r.stdout.length).toBeLessThan(20_000);
  });

  it.each(['json', 'text'])('DEL, C1 and bidi controls from a paste never reach %s raw', async (format) => {
    const r = await presend(['explain', '550 MI:SPF \u007f\u009b[31m \u202eevil\u2066 \u2028', '--format', format]);
    expect(r.stdout).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028]/);
    if (format === 'json') expect(JSON.parse(r.stdout).explanation.input).toContain('\u202eevil');
  });
});
