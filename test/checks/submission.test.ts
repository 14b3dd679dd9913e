/**
 * The submission path (`presend eml --account`): a draft sent through NetEase's own
 * submission server as a logged-in account, and the MX path with a NetEase sender.
 * Drafts are built here; the runs are whole CLI processes, offline or over loopback DNS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountCheck } from '../../src/checks/account.js';
import { contentCheck, normaliseSubject } from '../../src/checks/content/draft.js';
import { emlInputs, type EnvelopeOptions } from '../../src/engine/inputs.js';
import { messageFacts } from '../../src/message/read.js';
import { observe, summary } from '../helpers/checks.js';
import { presend } from '../helpers/cli.js';
import { offlineClient } from '../helpers/dns.js';
import { draft } from '../helpers/drafts.js';

const dir = mkdtempSync(join(tmpdir(), 'presend-submission-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const mine = { From: 'Me <me@163.com>', 'Message-ID': '<m1@163.com>' };
const realBody = 'Hello Li Lei,\r\nthe minutes of Monday\'s meeting are below, with the dates we agreed on.\r\n';

async function observed(check: typeof accountCheck, raw: Buffer, envelope: EnvelopeOptions) {
  return summary(await observe(check, emlInputs(await messageFacts('d.eml', raw), envelope), offlineClient()));
}

describe('account: the sender must be the logged-in account', () => {
  const cases: [string, Record<string, string>, EnvelopeOptions, object[]][] = [
    ['the account itself passes', mine, { account: 'me@163.com' }, [{ role: 'envelope sender (MAIL FROM)', matches: true }, { role: 'header From', matches: true }]],
    ['an account in another case is the same account', mine, { account: 'Me@163.COM' }, [{ matches: true }, { matches: true }]],
    ['another envelope sender fails', mine, { account: 'me@163.com', mailFrom: 'noreply@163.com' }, [{ role: 'envelope sender (MAIL FROM)', address: 'noreply@163.com', matches: false }, { matches: true }]],
    ['another header From fails', { From: 'Shop <news@shop.example>' }, { account: 'me@163.com', mailFrom: 'me@163.com' }, [{ matches: true }, { role: 'header From', address: 'news@shop.example', matches: false }]],
    ['a null envelope sender fails', mine, { account: 'me@163.com', mailFrom: '<>' }, [{ address: '<>', matches: false }, { matches: true }]],
  ];
  it.each(cases)('%s', async (_n, headers, envelope, expected) => {
    const rows = await observed(accountCheck, draft(headers, [], realBody), envelope);
    expect(rows).toEqual(expected.map((data) => ({ kind: 'sender', data: expect.objectContaining(data) })));
  });
});

describe('content: what senders report behind 554 DT:SPM on submission', () => {
  it.each([
    ['Test 1!', 'test'],
    ['  测试 2 ', '测试'],
    ['Monthly report, March', 'monthly report march'],
  ])('subject %j reads as %j', (subject, words) => expect(normaliseSubject(subject)).toBe(words));

  it.each([
    ['a test subject', { ...mine, Subject: '测试' }, realBody, { kind: 'text', data: expect.objectContaining({ subject: '测试' }) }],
    ['an encoded test subject', { ...mine, Subject: '=?UTF-8?B?5rWL6K+V6YKu5Lu2?=' }, realBody, { kind: 'text', data: expect.objectContaining({ subject: '测试邮件' }) }],
    ['a near-empty body', { ...mine, Subject: 'Minutes' }, 'hi\r\n', { kind: 'text', data: expect.objectContaining({ bodyChars: 2 }) }],
    ['missing To and Date', { ...mine, To: '', Date: '' }, realBody, { kind: 'headers', data: { missing: ['to', 'date'], missingCount: 2 } }],
  ])('%s', async (_n, headers, body, expected) => {
    expect(await observed(contentCheck, draft(headers, [], body), { account: 'me@163.com' })).toContainEqual(expected);
  });
});

describe('presend eml --account, end to end', () => {
  it('a clean draft from the account passes; the sending-server checks say why they did not run', async () => {
    const path = write('clean.eml', draft({ ...mine, Subject: 'Minutes of Monday' }, [], realBody));
    const r = await presend(['eml', path, '--account', 'me@163.com', '--ip', '203.0.113.5', '--helo', 'app.example', '--offline', '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout).reports[0];
    expect(report.verdict).toBe('pass');
    for (const check of ['spf', 'ptr', 'helo', 'helo-present']) {
      expect(report.checks.find((c: { check: string }) => c.check === check)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('submission server') });
    }
  });

  it('sender ≠ account is 553 Mail from must equal authorized user; a test subject and a repeat are reported-only warnings', async () => {
    const a = write('a.eml', draft({ From: 'Shop <news@shop.example>', Subject: 'test' }, [], realBody));
    const b = write('b.eml', draft({ From: 'Shop <news@shop.example>', Subject: 'test' }, [], realBody));
    const r = await presend(['eml', a, b, '--account', 'me@163.com', '--offline', '--format', 'json']);
    expect(r.status).toBe(1);
    const findings = JSON.parse(r.stdout).reports[0].findings as { rule: string; severity: string; code: string }[];
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'account-sender-matches', severity: 'error', code: '553 Mail from must equal authorized user' }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'submission-test-subject', severity: 'warning', code: '554 DT:SPM' }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'submission-repeated-content', severity: 'warning' }));
  });

  it('the submission rules do not fire on the MX path', async () => {
    const path = write('mx.eml', draft({ From: 'Shop <news@shop.example>', Subject: 'test' }, [], 'hi\r\n'));
    const r = await presend(['eml', path, '--offline', '--format', 'json']);
    const rules = (JSON.parse(r.stdout).reports[0].findings as { rule: string }[]).map((f) => f.rule);
    expect(rules.filter((rule) => rule.startsWith('submission-') || rule === 'account-sender-matches')).toEqual([]);
  });

  it('a NetEase sender from your own server is 553 no smtp MX only', async () => {
    const path = write('own-server.eml', draft({ ...mine, Subject: 'Minutes' }, [], realBody));
    const r = await presend(['eml', path, '--offline', '--format', 'json']);
    expect(JSON.parse(r.stdout).reports[0].findings).toContainEqual(expect.objectContaining({ rule: 'mx-sender-is-provider-account', code: '553 Requested action not taken: no smtp MX only' }));
  });

  it("the account's domain picks the provider; an account of none, or of a provider not named, is bad input", async () => {
    const path = write('gmail.eml', draft({ From: 'Me <me@gmail.com>' }, [], realBody));
    const gmail = await presend(['eml', path, '--account', 'me@gmail.com', '--offline']);
    expect(gmail.status).toBe(0);
    expect(gmail.stdout).toMatch(/^Gmail would reply:/m);
    const named = await presend(['eml', path, '--account', 'me@gmail.com', '--provider', 'netease', '--offline']);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain("gmail.com is a domain of none of this run's providers — NetEase");
    const none = await presend(['eml', path, '--account', 'me@example.org', '--offline']);
    expect(none.status).toBe(2);
  });

  it('a draft on standard input', async () => {
    const r = await presend(['eml', '-', '--account', 'me@163.com', '--offline', '--format', 'json'], {}, draft({ ...mine, Subject: 'Minutes' }, [], realBody).toString());
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).reports[0].target.file).toBe('stdin');
  });
});
