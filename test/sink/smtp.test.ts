/**
 * `presend smtp`: the dry run against the sink in both roles, over loopback. Each case
 * asserts the steps taken, the refused step read from the profile, that no DATA was
 * sent, and that the password never appears in the output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { defaultProfilePath } from '../../src/profile/load.js';
import { startSink, type RunningSink } from '../../src/sink/server.js';
import { presend } from '../helpers/cli.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true });
const logs: Record<string, unknown>[] = [];
let mx: RunningSink;
let submission: RunningSink;
let pki: TestPki;
beforeAll(async () => {
  pki = makeTestPki();
  const log = (l: string) => logs.push(JSON.parse(l));
  mx = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, log, mailboxes: new Set(['reader@163.com']) });
  submission = await startSink({ session, role: 'submission', host: '127.0.0.1', port: 0, accounts: [{ user: 'me@163.com', password: 's3cret-code' }], accept: false, log, tls: { key: pki.key, cert: pki.cert } });
});
afterAll(async () => {
  await Promise.all([mx.close(), submission.close()]);
  pki.remove();
});

interface Json {
  reports: { verdict: string; findings: { rule: string; provider: string; code: string | null; evidence: { step?: string } }[]; smtp: { steps: { step: string; reply: string }[]; tls: { authorized: boolean } | null } }[];
}
async function dry(port: number, args: string[], password?: string) {
  const r = await presend(['smtp', `127.0.0.1:${port}`, '--format', 'json', '--timeout', '3000', '--ca-file', pki.caFile, ...args], password === undefined ? {} : { PRESEND_SMTP_PASSWORD: password });
  return { ...r, report: (JSON.parse(r.stdout) as Json).reports[0]! };
}

describe('presend smtp against a sink answering as Gmail', () => {
  it("reads Gmail's refusal from Gmail's catalogue, with no --provider given", async () => {
    const gmail = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true, profilePaths: [defaultProfilePath('gmail')] });
    const sink = await startSink({ session: gmail, role: 'submission', host: '127.0.0.1', port: 0, accounts: [{ user: 'me@gmail.com', password: 'app-password' }], accept: false, log: () => undefined });
    try {
      const r = await dry(sink.port, ['--mail-from', 'me@gmail.com', '--rcpt', 'friend@qq.com']);
      expect(r.status).toBe(1);
      expect(r.report.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-step-refused', provider: 'gmail', code: '530 5.7.0 Authentication required.' }));
      const text = await presend(['smtp', `127.0.0.1:${sink.port}`, '--mail-from', 'me@gmail.com', '--timeout', '3000']);
      expect(text.stdout).toMatch(/^Gmail would reply: 530 5\.7\.0 Authentication required\.$/m);
    } finally {
      await sink.close();
    }
  });
});

describe('presend smtp against the sink', () => {
  it('submission, the right account: every step passes, RSET and QUIT, no DATA; the password is never shown', async () => {
    const r = await dry(submission.port, ['--user', 'me@163.com', '--rcpt', 'friend@qq.com'], 's3cret-code');
    expect(r.status).toBe(0);
    expect(r.report.smtp.steps.map((s) => s.step)).toEqual(['greeting', 'EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'RSET', 'QUIT']);
    expect(r.stdout + r.stderr).not.toContain('s3cret-code');
    expect(r.stdout).not.toContain(Buffer.from(`\0me@163.com\0s3cret-code`).toString('base64'));
    expect(r.report.smtp.steps.some((s) => s.step === 'DATA')).toBe(false);
  });

  it.each([
    ['a wrong password', ['--user', 'me@163.com', '--rcpt', 'friend@qq.com'], 'wrong', 'AUTH', '535 Error: authentication failed'],
    ['another sender', ['--user', 'me@163.com', '--mail-from', 'boss@163.com', '--rcpt', 'friend@qq.com'], 's3cret-code', 'MAIL', '553 Mail from must equal authorized user'],
    ['no login at all', ['--mail-from', 'me@163.com', '--rcpt', 'friend@qq.com'], undefined, 'MAIL', '553 authentication is required'],
  ])('submission, %s: exit 1, the refused step explained', async (_n, args, password, step, code) => {
    const r = await dry(submission.port, args, password);
    expect(r.status).toBe(1);
    expect(r.report.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-step-refused', code, evidence: expect.objectContaining({ step }) }));
  });

  it('mx: an unknown mailbox is refused at RCPT, a known one accepted', async () => {
    const r = await dry(mx.port, ['--helo', 'mail.newsletter.example', '--mail-from', 'news@newsletter.example', '--rcpt', 'reader@163.com', 'nobody@163.com']);
    expect(r.status).toBe(1);
    expect(r.report.smtp.steps.filter((s) => s.step === 'RCPT').map((s) => s.reply)).toEqual([expect.stringMatching(/^250/), '550 Invalid User']);
  });

  it('the sink\'s self-signed certificate is a TLS finding, not a refusal', async () => {
    const r = await dry(mx.port, ['--helo', 'mail.newsletter.example', '--mail-from', 'news@newsletter.example', '--rcpt', 'reader@163.com']);
    expect(r.report.smtp.tls?.authorized).toBe(false);
    expect(r.report.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-tls-certificate' }));
    expect(r.status).toBe(0);
  });

  it.each(['<>', ''])('the bounce path: --mail-from %j dry-runs MAIL FROM:<> at the MX, which takes it', async (nullSender) => {
    const r = await dry(mx.port, ['--helo', 'mail.newsletter.example', '--mail-from', nullSender, '--rcpt', 'reader@163.com']);
    expect(r.status).toBe(0);
    expect(r.report.smtp.steps.find((s) => s.step === 'MAIL')?.reply).toMatch(/^250/);
  });

  it('nothing listening is "could not check", never a refusal', async () => {
    const r = await dry(9, ['--mail-from', 'a@b.example'], undefined);
    expect(r.status).toBe(0);
    expect(r.report.findings).toEqual([expect.objectContaining({ rule: 'smtp-could-not-connect' })]);
  });

  it('--user without a password and no terminal is one line, exit 2', async () => {
    const r = await presend(['smtp', `127.0.0.1:${submission.port}`, '--user', 'me@163.com']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PRESEND_SMTP_PASSWORD');
  });
});
