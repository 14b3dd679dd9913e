/**
 * Postfix (Debian's 3.7) as the mail software people run: relaying into the sink as its
 * relayhost — 1,000 messages, none lost, the sink's log counting exactly what Postfix
 * delivered; a refusal Postfix bounced, read back by `explain`; and `presend smtp` against
 * Postfix's own smtpd with STARTTLS verified by a test CA; and, with Dovecot installed, `presend
 * smtp` logging in to Postfix as a submission server (Dovecot SASL): the right password, a wrong
 * one, and a sender the login does not own. Skipped without Postfix or root.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { startSink, type RunningSink } from '../../src/sink/server.js';
import { presend } from '../helpers/cli.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { hasDovecot, startDovecotAuth, type RunningDovecotAuth } from '../helpers/dovecot.js';
import { hasPostfix, startPostfix, type RunningPostfix } from '../../scripts/postfix.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const MESSAGES = 1000;
const LOGIN = 'news@newsletter.example';
const PASSWORD = 'Submission-Test-7f3a';
/** NetEase's per-IP and per-sender limits raised out of the way: one relay sends everything here. */
const limitOverrides = Object.fromEntries(['max-messages-per-window', 'max-messages-per-ip-per-day', 'max-messages-per-day', 'max-messages-per-15-minutes', 'max-messages-per-connection', 'max-recipients-per-day', 'max-recipients-per-15-minutes', 'max-recipients-per-connection', 'max-connections-per-day', 'max-concurrent-connections'].map((name) => [name, 1_000_000]));

describe.skipIf(!hasPostfix)('Postfix relaying into the sink, and presend smtp against Postfix', () => {
  let sink: RunningSink;
  let postfix: RunningPostfix;
  let pki: TestPki;
  let dovecot: RunningDovecotAuth | undefined;
  const logged: { replies: { command: string; reply: string }[] }[] = [];

  beforeAll(async () => {
    pki = makeTestPki();
    const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true });
    sink = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, clientIp: '198.51.100.25', limitOverrides, log: (line) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
    if (hasDovecot) dovecot = await startDovecotAuth({ [LOGIN]: PASSWORD });
    postfix = await startPostfix({ relayPort: sink.port, tls: { cert: pki.cert, key: pki.key }, submission: dovecot && { saslPort: dovecot.port, owners: { [LOGIN]: LOGIN } } });
  }, 60_000);
  afterAll(async () => {
    await postfix?.stop();
    await dovecot?.stop();
    await sink?.close();
    pki?.remove();
  });

  const statuses = () => [...postfix.log().matchAll(/status=(sent|bounced|deferred) \((.*)\)$/gm)].map((m) => ({ status: m[1]!, text: m[2]! }));
  const waitFor = async (count: number, ms: number) => {
    const started = Date.now();
    while (statuses().length < count && Date.now() - started < ms) await new Promise((r) => setTimeout(r, 200));
    return statuses();
  };

  it(`${MESSAGES} messages through Postfix: every one delivered, the sink's log counts exactly as many`, async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 10, maxMessages: Infinity });
    const raw = (i: number) => ['From: News <news@newsletter.example>', 'To: reader@163.com', `Subject: Issue ${i} of the spring catalogue`, 'Date: Sat, 28 Nov 2026 10:00:00 +0800', `Message-ID: <n${i}@newsletter.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Hello, this is issue ${i} of our catalogue.`, ''].join('\r\n');
    await Promise.all(Array.from({ length: MESSAGES }, (_, i) => transport.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: raw(i) })));
    transport.close();
    const done = await waitFor(MESSAGES, 90_000);
    expect(done.filter((s) => s.status === 'sent')).toHaveLength(MESSAGES);
    expect(logged.filter((l) => l.replies.some((r) => r.command === 'DATA' && r.reply.startsWith('250')))).toHaveLength(MESSAGES);
  }, 120_000);

  it('a message the sink refuses is bounced by Postfix, and explain reads Postfix’s line: NetEase’s 554 DT:SPM', async () => {
    const before = statuses().length;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.port, secure: false, ignoreTLS: true });
    const phishing = ['From: "Account Team" <security20391x@notice-mail.example>', 'To: reader@163.com', 'Subject: VERIFY YOUR ACCOUNT TODAY', 'Date: Sat, 28 Nov 2026 10:00:00', 'Message-ID: <000801c2415d$1fa9f0c0$0100a8c0@notice-mail.example>', 'MIME-Version: 1.0', 'X-Priority: 1', 'Content-Type: text/html; charset=utf-8', '', '<p style="font-size:48px">Locked</p><a href="https://bit.ly/x">https://www.paypal.com/</a><img src="http://203.0.113.9/a.png">', ''].join('\r\n');
    await transport.sendMail({ envelope: { from: 'security20391x@notice-mail.example', to: ['reader@163.com'] }, raw: phishing });
    const bounced = (await waitFor(before + 1, 30_000)).slice(before).find((s) => s.status === 'bounced')!;
    expect(bounced.text).toMatch(/said: 554 DT:SPM \(in reply to end of DATA command\)/);
    const explained = await presend(['explain', bounced.text, '--format', 'json']);
    // Postfix names the relay by address only: the side (MX or submission) is not in its line, and explain does not make one up.
    expect((JSON.parse(explained.stdout) as { explanation: unknown }).explanation).toMatchObject({ known: true, code: '554 DT:SPM', provider: 'netease', side: null });
  }, 60_000);

  it('presend smtp against Postfix: STARTTLS verified with --ca-file, no AUTH offered, MAIL and RCPT accepted, nothing sent', async () => {
    const r = await presend(['smtp', `127.0.0.1:${postfix.port}`, '--ca-file', pki.caFile, '--mail-from', 'news@newsletter.example', '--rcpt', 'reader@163.com', '--format', 'json']);
    const report = (JSON.parse(r.stdout) as { reports: { smtp: { tls: { authorized?: boolean } | null; steps: { step: string; reply?: string }[] } }[] }).reports[0]!.smtp;
    expect(report.steps.map((s) => s.step)).toEqual(['greeting', 'EHLO', 'STARTTLS', 'EHLO', 'MAIL', 'RCPT', 'RSET', 'QUIT']);
    expect(report.tls?.authorized).toBe(true);
    expect(report.steps.find((s) => s.step === 'RCPT')?.reply).toMatch(/^250/);
    expect(r.status).toBe(0);
  }, 60_000);

  interface DryRun {
    findings: { rule: string; message: string; code: string | null; evidence: { step?: string; reply?: string } }[];
    smtp: { tls: { authorized?: boolean } | null; steps: { step: string; reply?: string }[] };
  }
  const dryRun = async (password: string, mailFrom: string) => {
    const r = await presend(['smtp', `127.0.0.1:${postfix.submissionPort}`, '--ca-file', pki.caFile, '--user', LOGIN, '--mail-from', mailFrom, '--rcpt', 'reader@163.com', '--format', 'json'], { PRESEND_SMTP_PASSWORD: password });
    expect(r.stdout + r.stderr).not.toContain(password);
    return { status: r.status, report: (JSON.parse(r.stdout) as { reports: DryRun[] }).reports[0]! };
  };
  const reply = (report: DryRun, step: string) => report.smtp.steps.find((s) => s.step === step)?.reply ?? '';

  describe.skipIf(!hasDovecot)('Postfix as a submission server, Dovecot SASL', () => {
    it('the right password: STARTTLS verified, AUTH 235, MAIL and RCPT accepted, nothing sent', async () => {
      const { status, report } = await dryRun(PASSWORD, LOGIN);
      expect(report.smtp.steps.map((s) => s.step)).toEqual(['greeting', 'EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'RSET', 'QUIT']);
      expect(report.smtp.tls?.authorized).toBe(true);
      expect(reply(report, 'AUTH')).toMatch(/^235 /);
      expect(reply(report, 'RCPT')).toMatch(/^250 /);
      expect(status).toBe(0);
      expect(dovecot!.log()).not.toContain(PASSWORD);
    }, 60_000);

    it('a wrong password: 535 at AUTH, reported as that server’s reply, and explain reads it as a failed login on the submission side', async () => {
      const { status, report } = await dryRun('not-the-password', LOGIN);
      expect(reply(report, 'AUTH')).toMatch(/^535 5\.7\.8 /);
      const refused = report.findings.find((f) => f.rule === 'smtp-step-refused')!;
      expect(refused.evidence.step).toBe('AUTH');
      expect(refused.message).toContain('a reply from that server');
      expect(status).toBe(1);
      const explained = JSON.parse((await presend(['explain', `SMTP AUTH failed: ${reply(report, 'AUTH')}`, '--format', 'json'])).stdout) as { explanation: { status: string | null; side: string | null; code: string | null } };
      // Postfix's words are the common 535 text, which NetEase's catalogue holds too: a failed login, submission side.
      expect(explained.explanation).toMatchObject({ status: '535', side: 'submission', code: '535 Error: authentication failed' });
    }, 60_000);

    it('a sender the login does not own: Postfix’s 553 at RCPT, read as NetEase’s 553 Mail from must equal authorized user', async () => {
      const { status, report } = await dryRun(PASSWORD, 'alerts@shop.example');
      expect(reply(report, 'AUTH')).toMatch(/^235 /);
      expect(reply(report, 'RCPT')).toMatch(/^553 5\.7\.1 <alerts@shop\.example>: Sender address rejected: not owned by user news@newsletter\.example/);
      const refused = report.findings.find((f) => f.rule === 'smtp-step-refused')!;
      expect(refused.evidence.step).toBe('RCPT');
      expect(refused.message).toContain("it means what NetEase's 553 Mail from must equal authorized user means");
      expect(status).toBe(1);
    }, 60_000);
  });
});
