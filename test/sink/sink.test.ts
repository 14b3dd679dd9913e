/**
 * `presend sink`: real clients against a real smtp-server on loopback — nodemailer for
 * ordinary sends, a raw socket for broken dialogue — and every refusal compared with
 * the profile's exact reply text. DATA checks run offline against the fixture zones.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { defaultProfilePath } from '../../src/profile/load.js';
import { sinkStarter } from '../helpers/sink.js';
import { draft, zipOf } from '../helpers/drafts.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { rawSmtp } from '../helpers/smtp.js';

const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true });
const dir = mkdtempSync(join(tmpdir(), 'presend-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sink = sinkStarter({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false });

const transport = (port: number, extra: object = {}) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example', ...extra });
const clean = (from = 'news@newsletter.example') => draft({ From: `News <${from}>`, To: 'reader@163.com', 'Message-ID': '<n1@newsletter.example>' }, [], 'Hello,\r\nthis month in our shop: the spring catalogue is out.\r\n');
/** A well-configured sender's draft carrying a zip with a .cmd inside: only the attachment is wrong. */
const withCmd = async () =>
  draft({ From: 'News <news@newsletter.example>', To: 'reader@163.com', 'Message-ID': '<z1@newsletter.example>' }, [{ type: 'application/zip', filename: 'report.zip', content: await zipOf({ 'report/tools/install.cmd': '@echo off\r\n' }) }], 'Hello,\r\nthe quarterly report is attached.\r\n');
const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return err as { responseCode?: number; response?: string };
  }
  throw new Error('expected the send to be refused');
};

describe('sink --role mx: NetEase inbound MX', () => {
  it('accepts a clean message from a well-configured sender and logs the transaction', async () => {
    const s = await sink({ clientIp: '198.51.100.25' });
    const info = await transport(s.port).sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: clean() });
    expect(info.response).toMatch(/^250 Mail OK queued as [0-9a-f-]{36}$/);
    expect(s.lines.at(-1)).toMatchObject({ role: 'mx', clientIp: '198.51.100.25', helo: 'mail.newsletter.example', mailFrom: 'news@newsletter.example', rcpt: ['reader@163.com'] });
    expect((s.lines.at(-1) as { replies: { command: string; reply: string }[] }).replies).toContainEqual({ command: 'DATA', reply: info.response });
  });

  it("answers an accepted message in smtp-server's own words when the profile gives none (Gmail)", async () => {
    const gmail = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true, profilePaths: [defaultProfilePath('gmail')] });
    const s = await sink({ session: gmail, accept: true, clientIp: '198.51.100.25' });
    const info = await transport(s.port).sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@gmail.com'] }, raw: clean() });
    expect(info.response).toBe('250 OK: message queued');
    expect((s.lines.at(-1) as { replies: { command: string; reply: string }[] }).replies).toContainEqual({ command: 'DATA', reply: '250 OK: message queued' });
  });

  it('judges the content at DATA: a phishing-shaped draft gets 554 DT:SPM, and the log carries its score and signals', async () => {
    const s = await sink({ clientIp: '198.51.100.25' });
    const raw = readFileSync('fixtures/content/spam-today.eml');
    const err = await errorOf(transport(s.port).sendMail({ envelope: { from: 'security20391x@notice-mail.example', to: ['reader@163.com'] }, raw }));
    expect([err.responseCode, err.response]).toEqual([554, '554 DT:SPM']);
    const findings = (s.lines.at(-1) as { findings: { rule: string; message: string }[] }).findings;
    expect(findings.find((f) => f.rule === 'content-spam-likely')!.message).toMatch(/content scores [\d.]+, at or over the spam threshold \d/);
    expect(findings.filter((f) => f.rule === 'content-signal').length).toBeGreaterThan(5);
  });

  it('refuses a .cmd inside a zip at the end of DATA with 552 Illegal Attachment', async () => {
    const s = await sink({ clientIp: '198.51.100.25' });
    const err = await errorOf(transport(s.port).sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: await withCmd() }));
    expect(err.responseCode).toBe(552);
    expect(err.response).toBe('552 Illegal Attachment');
    expect(s.lines.at(-1)).toMatchObject({ findings: expect.arrayContaining([expect.objectContaining({ rule: 'attachment-forbidden' })]) });
  });

  it('refuses SPF failure for the connecting IP with 550 MI:SPF (the connection\'s IP, HELO and envelope)', async () => {
    const s = await sink({ clientIp: '203.0.113.5' });
    const err = await errorOf(transport(s.port, { name: 'mail.shop.example' }).sendMail({ envelope: { from: 'news@shop.example', to: ['reader@163.com'] }, raw: clean('news@shop.example') }));
    expect(err.response).toBe('550 MI:SPF');
  });

  it.each([
    ['a recipient outside NetEase', 'someone@example.org', {}, '550 RP:FRL'],
    ['an unknown mailbox', 'nobody@163.com', { mailboxes: new Set(['reader@163.com']) }, '550 Invalid User'],
  ])('RCPT: %s', async (_n, rcpt, options, reply) => {
    const s = await sink(options);
    const c = await rawSmtp(s.port);
    expect(await c.send('EHLO mail.newsletter.example')).toMatch(/^250/);
    expect(await c.send('MAIL FROM:<news@newsletter.example>')).toMatch(/^250/);
    expect(await c.send(`RCPT TO:<${rcpt}>`)).toBe(reply);
    c.end();
  });

  it('the 101st recipient of one message is 550 RP:RCL', async () => {
    const s = await sink();
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.newsletter.example');
    await c.send('MAIL FROM:<news@newsletter.example>');
    for (let i = 0; i < 100; i++) expect(await c.send(`RCPT TO:<r${i}@163.com>`)).toMatch(/^250/);
    expect(await c.send('RCPT TO:<r100@163.com>')).toBe('550 RP:RCL');
    c.end();
  });

  it.each([
    ['an empty HELO', 'HELO', '550 MI:NHD'],
    ['an empty EHLO', 'EHLO', '550 MI:NHD'],
    ['an unknown command', 'XYZZY', '500 Error: bad syntax'],
  ])('dialogue: %s', async (_n, line, reply) => {
    const s = await sink();
    const c = await rawSmtp(s.port);
    expect(await c.send(line)).toBe(reply);
    c.end();
  });

  it('too many bad commands is 450 MI:CEL, and the connection closes', async () => {
    const s = await sink();
    const c = await rawSmtp(s.port);
    for (let i = 0; i < 9; i++) expect(await c.send('XYZZY')).toBe('500 Error: bad syntax');
    expect(await c.send('XYZZY')).toBe('450 MI:CEL');
    await c.closed;
  });

  it.each([
    ['a null sender: a bounce, taken (RFC 5321 §4.5.5)', 'MAIL FROM:<>', '250 Accepted'],
    ['a NetEase address from outside', 'MAIL FROM:<me@163.com>', '553 Requested action not taken: no smtp MX only'],
  ])('MAIL: %s', async (_n, line, reply) => {
    const s = await sink();
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.newsletter.example');
    expect(await c.send(line)).toBe(reply);
    c.end();
  });

  it.each([
    ['a denied IP', { deniedIps: new Set(['192.0.2.66']), clientIp: '192.0.2.66' }, '554 IP in blacklist'],
    ['a suspended IP', { suspendedIps: new Set(['192.0.2.67']), clientIp: '192.0.2.67' }, '554 HL:IHU'],
    ['an IP not on the allow-list', { allowedIps: new Set(['192.0.2.1']), clientIp: '192.0.2.68' }, '554 HL:IPB'],
    ['an IP on the allow-list', { allowedIps: new Set(['192.0.2.68']), clientIp: '192.0.2.68' }, null],
  ])('connect: %s', async (_n, options, reply) => {
    const s = await sink(options);
    const c = await rawSmtp(s.port);
    if (reply === null) expect(c.greeting).toMatch(/^220 /);
    else expect(c.greeting).toBe(reply);
    c.end();
  });

  it.each([
    ['a denied sender', { deniedSenders: new Set(['spammer@newsletter.example']) }, 'MAIL FROM:<spammer@newsletter.example>', '550 User in blacklist'],
    ['a suspended mailbox', { suspendedMailboxes: new Set(['frozen@163.com']) }, 'RCPT TO:<frozen@163.com>', '550 User suspended'],
    ['a sender not on the allow-list', { allowedSenders: new Set(['news@newsletter.example']) }, 'MAIL FROM:<other@newsletter.example>', '554 MI:SPB'],
    ['a sender on the allow-list', { allowedSenders: new Set(['news@newsletter.example']) }, 'MAIL FROM:<news@newsletter.example>', '250 Accepted'],
  ])('list states: %s', async (_n, options, line, reply) => {
    const s = await sink(options);
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.newsletter.example');
    if (line.startsWith('RCPT')) await c.send('MAIL FROM:<news@newsletter.example>');
    expect(await c.send(line)).toBe(reply);
    c.end();
  });

  it('an IP past its total for the day is 554 HL:ITC at its next connection, apart from the per-minute rate', async () => {
    const s = await sink({ clientIp: '198.51.100.25', limitOverrides: { 'max-messages-per-ip-per-day': 2 } });
    const send = transport(s.port);
    for (let i = 0; i < 2; i++) await send.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: clean() });
    const c = await rawSmtp(s.port);
    expect(c.greeting).toBe('554 HL:ITC');
    c.end();
  });

  it('more connections at once from one IP than the profile allows: 421 HL:ICC', async () => {
    const s = await sink({ clientIp: '192.0.2.77' });
    const open = await Promise.all(Array.from({ length: 10 }, () => rawSmtp(s.port)));
    expect(open.every((c) => c.greeting.startsWith('220'))).toBe(true);
    const eleventh = await rawSmtp(s.port);
    expect(eleventh.greeting).toBe('421 HL:ICC');
    for (const c of [...open, eleventh]) c.end();
  });

  it('--accept: everything is accepted, and the log says what would have been refused', async () => {
    const s = await sink({ accept: true, clientIp: '198.51.100.25' });
    const info = await transport(s.port).sendMail({ envelope: { from: 'news@newsletter.example', to: ['someone@example.org'] }, raw: await withCmd() });
    expect(info.response).toMatch(/^250 /);
    const replies = (s.lines.at(-1) as { replies: { wouldRefuse?: string }[] }).replies.map((r) => r.wouldRefuse).filter(Boolean);
    expect(replies).toEqual(['550 RP:FRL', '552 Illegal Attachment']);
  });

  it('--store keeps each message beside its report', async () => {
    const store = join(dir, 'store');
    const s = await sink({ store, clientIp: '198.51.100.25' });
    await transport(s.port).sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: clean() });
    const files = readdirSync(store).sort();
    expect(files.map((f) => f.replace(/^[^.]+/, 'id'))).toEqual(['id.eml', 'id.json']);
    expect(JSON.parse(readFileSync(join(store, files[1]!), 'utf8'))).toMatchObject({ target: { kind: 'eml', mailFrom: 'news@newsletter.example', ip: '198.51.100.25' } });
  });
});

describe('sink --role submission: NetEase submission server (smtp.163.com)', () => {
  const accounts = [{ user: 'me@163.com', password: 'auth-code-1' }];

  it('a null sender from a logged-in account is 553 NULL sender is not allowed (the submission side refuses it)', async () => {
    const s = await sink({ role: 'submission', accounts });
    const c = await rawSmtp(s.port);
    await c.send('EHLO app.example');
    expect(await c.send(`AUTH PLAIN ${Buffer.from('\0me@163.com\0auth-code-1').toString('base64')}`)).toMatch(/^235 /);
    expect(await c.send('MAIL FROM:<>')).toBe('553 Requested action not taken: NULL sender is not allowed');
    c.end();
  });

  it('MAIL before AUTH is 553 authentication is required', async () => {
    const s = await sink({ role: 'submission', accounts });
    const c = await rawSmtp(s.port);
    await c.send('EHLO app.example');
    expect(await c.send('MAIL FROM:<me@163.com>')).toBe('553 authentication is required');
    c.end();
  });

  it('a wrong password is 535; one account failing again locks its logins (451); the IP past its limit is 554', async () => {
    const s = await sink({ role: 'submission', accounts, clientIp: '192.0.2.90' });
    const login = async (user: string) => (await errorOf(transport(s.port, { auth: { user, pass: 'login-password' } }).verify())).response;
    expect(await login('me@163.com')).toBe('535 Error: authentication failed');
    expect(await login('me@163.com')).toBe('535 Error: authentication failed');
    expect(await login('me@163.com')).toBe('451 Requested mail action not taken: too much fail authentication');
    expect(await login('other@163.com')).toBe('535 Error: authentication failed');
    expect(await login('third@163.com')).toBe('554 IP is rejected, smtp auth error limit exceed');
  });

  it.each([
    ['a locked account', { lockedAccounts: new Set(['me@163.com']) }, '550 User is locked'],
    ['an account with SMTP turned off', { smtpDisabledAccounts: new Set(['me@163.com']) }, '550 User has no permission'],
  ])('the right password for %s is still refused at AUTH', async (_n, options, reply) => {
    const s = await sink({ role: 'submission', accounts, ...options });
    const err = await errorOf(transport(s.port, { auth: { user: 'me@163.com', pass: 'auth-code-1' } }).verify());
    expect(err.response).toBe(reply);
  });

  it.each([
    ['another NetEase user', 'other@163.com', '553 Mail from must equal authorized user'],
    ['a foreign sender', 'alerts@shop.example', '553 Requested action not taken: Local user only'],
  ])('MAIL FROM as %s', async (_n, from, reply) => {
    const s = await sink({ role: 'submission', accounts });
    const err = await errorOf(transport(s.port, { auth: { user: 'me@163.com', pass: 'auth-code-1' } }).sendMail({ envelope: { from, to: ['friend@qq.com'] }, raw: clean(from) }));
    expect(err.response).toBe(reply);
  });

  it('the account sending as itself is accepted; a header From of another is refused at DATA', async () => {
    const s = await sink({ role: 'submission', accounts });
    const send = (raw: Buffer) => transport(s.port, { auth: { user: 'me@163.com', pass: 'auth-code-1' } }).sendMail({ envelope: { from: 'me@163.com', to: ['friend@qq.com'] }, raw });
    const ok = await send(draft({ From: 'Me <me@163.com>', To: 'friend@qq.com', 'Message-ID': '<s1@163.com>', Subject: 'Minutes of Monday' }, [], 'Hello,\r\nthe minutes of the meeting are below.\r\n'));
    expect(ok.response).toMatch(/^250 /);
    const err = await errorOf(send(draft({ From: 'Shop <news@shop.example>', To: 'friend@qq.com', Subject: 'Minutes of Monday' }, [], 'Hello,\r\nthe minutes of the meeting are below.\r\n')));
    expect(err.response).toBe('553 Mail from must equal authorized user');
  });
});

describe('presend sink as a process', () => {
  it('prints where it listens, serves, and on SIGTERM logs what it saw and exits 0', async () => {
    const log = join(dir, 'sink.ndjson');
    const child = spawn(process.execPath, [resolve('bin/presend.js'), 'sink', '--listen', '127.0.0.1:0', '--offline', '--zone', 'fixtures/zones/newsletter.example.zone', '--client-ip', '198.51.100.25', '--log', log], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((done) => child.stdout.once('data', (d: Buffer) => done(d.toString())));
    const m = /^presend sink listening on 127\.0\.0\.1:(\d+)\n$/.exec(first);
    expect(m).not.toBeNull();
    const c = await rawSmtp(Number(m![1]));
    expect(await c.send('HELO')).toBe('550 MI:NHD');
    c.end();
    await c.closed;
    child.kill('SIGTERM');
    const status = await new Promise<number | null>((done) => child.on('close', done));
    expect(status).toBe(0);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1).replies).toContainEqual(expect.objectContaining({ reply: '550 MI:NHD', stage: 'empty-helo' }));
  });

  it('takes its role and accounts from a config file', async () => {
    const config = join(dir, 'sink.yaml');
    (await import('node:fs')).writeFileSync(config, 'offline: true\nsink:\n  role: submission\n  users: [{ user: me@163.com, password: code-from-config }]\n');
    const child = spawn(process.execPath, [resolve('bin/presend.js'), 'sink', '--listen', '127.0.0.1:0', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((done) => child.stdout.once('data', (d: Buffer) => done(d.toString())));
    const port = Number(/:(\d+)\n$/.exec(first)![1]);
    const ok = await transport(port, { auth: { user: 'me@163.com', pass: 'code-from-config' } }).verify();
    expect(ok).toBe(true);
    const c = await rawSmtp(port);
    await c.send('EHLO app.example');
    expect(await c.send('MAIL FROM:<me@163.com>')).toBe('553 authentication is required');
    c.end();
    child.kill('SIGTERM');
    expect(await new Promise((done) => child.on('close', done))).toBe(0);
  });

  it('a bad --listen is one line and exit 2', async () => {
    const child = spawn(process.execPath, [resolve('bin/presend.js'), 'sink', '--listen', 'nowhere'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((done) => child.on('close', done))).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the sink against a hostile client', () => {
  it('a message past the size limit is refused with the size reply, and is not held whole', async () => {
    const s = await sink({ limitOverrides: { 'max-message-size': 64 * 1024 } });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.newsletter.example');
    await c.send('MAIL FROM:<news@newsletter.example>');
    await c.send('RCPT TO:<reader@163.com>');
    expect(await c.send('DATA')).toMatch(/^354/);
    // 4 MB against a 64 KB limit: refused with the profile's size reply once DATA ends.
    const line = 'x'.repeat(998) + '\r\n';
    const reply = await c.sendRaw(`Subject: big\r\n\r\n${line.repeat(4000)}.\r\n`);
    expect(reply).toBe('552 Requested mail action aborted: exceeded mailsize limit');
    c.end();
  });
});
