/**
 * The sink under attack and with the login clients people use (issue 23): AUTH LOGIN and
 * PLAIN without an initial response from nodemailer, curl and Python's smtplib; no
 * credential in the log; the mx role taking no logins; a banned IP staying banned; a
 * deadline for each command and for DATA that trickled bytes do not extend; a bound on the
 * bytes held across connections; logs and recipients bounded under --accept; aborted DATA
 * logged; --store private and capped; and a log that cannot be written never silent.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { defaultProfilePath } from '../../src/profile/load.js';
import { sinkStarter } from '../helpers/sink.js';
import { draft } from '../helpers/drafts.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { rawSmtp } from '../helpers/smtp.js';

const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true });
const dir = mkdtempSync(join(tmpdir(), 'presend-sink-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'c0rrect-Horse!';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const sink = sinkStarter({ session, role: 'submission', host: '127.0.0.1', port: 0, accounts: [{ user: 'me@163.com', password: PASSWORD }], accept: false });

const message = () => draft({ From: 'Me <me@163.com>', To: 'friend@qq.com', 'Message-ID': '<m1@163.com>' }, [], 'Hello,\r\nthe minutes of today are below.\r\n');
/** The log lines of a connection are written as it closes, just after the client sees it close. */
async function eventually(check: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return check();
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((done) => setTimeout(done, 20));
    }
  }
}

const noCredential = (log: string[]) => {
  const text = log.join('');
  for (const secret of [PASSWORD, b64(PASSWORD), b64(`\0me@163.com\0${PASSWORD}`), b64(PASSWORD).toUpperCase()]) expect(text).not.toContain(secret);
};

const hasCurlSmtp = /\bsmtp\b/.test(spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout ?? '');
const hasPython = spawnSync('python3', ['-c', 'import smtplib'], { encoding: 'utf8' }).status === 0;

function run(command: string, args: string[], input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const PYTHON_LOGIN = `
import smtplib, sys
port, password, mechanism = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = smtplib.SMTP('127.0.0.1', port, timeout=10)
s.ehlo('client.example')
s.user, s.password = 'me@163.com', password
try:
    code, text = s.auth(mechanism, getattr(s, 'auth_' + mechanism.lower()), initial_response_ok=False)
    print(code)
    s.send_message(__import__('email').message_from_string(sys.stdin.read()), 'me@163.com', ['friend@qq.com'])
    print('sent')
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code, e.smtp_error.decode())
s.quit()
`;

describe('logins the way real clients send them', () => {
  it.each(['LOGIN', 'PLAIN'])('nodemailer with AUTH %s: the right password sends, a wrong one is 535', async (method) => {
    const s = await sink();
    const transport = (pass: string) => nodemailer.createTransport({ host: '127.0.0.1', port: s.port, secure: false, ignoreTLS: true, authMethod: method, auth: { user: 'me@163.com', pass } });
    const info = await transport(PASSWORD).sendMail({ envelope: { from: 'me@163.com', to: ['friend@qq.com'] }, raw: message() });
    expect(info.response).toMatch(/^250 /);
    await expect(transport('wrong').sendMail({ envelope: { from: 'me@163.com', to: ['friend@qq.com'] }, raw: message() })).rejects.toMatchObject({ responseCode: 535 });
    noCredential(s.raw);
  });

  it.skipIf(!hasPython).each(['LOGIN', 'PLAIN'])("Python's smtplib, AUTH %s without an initial response", async (mechanism) => {
    const s = await sink();
    const ok = await run('python3', ['-c', PYTHON_LOGIN, String(s.port), PASSWORD, mechanism], message());
    expect(ok.stdout.trim().split('\n')).toEqual(['235', 'sent']);
    const bad = await run('python3', ['-c', PYTHON_LOGIN, String(s.port), 'wrong', mechanism]);
    expect(bad.stdout.trim()).toBe('535 Error: authentication failed');
    noCredential(s.raw);
  });

  it.skipIf(!hasCurlSmtp)('curl without --sasl-ir (AUTH continuation lines), and with it', async () => {
    const s = await sink();
    const file = join(dir, 'curl.eml');
    writeFileSync(file, message());
    for (const extra of [[], ['--sasl-ir']]) {
      const r = await run('curl', ['-sS', `smtp://127.0.0.1:${s.port}`, '--mail-from', 'me@163.com', '--mail-rcpt', 'friend@qq.com', '--user', `me@163.com:${PASSWORD}`, '-T', file, ...extra]);
      expect(r.status, r.stderr).toBe(0);
    }
    const bad = await run('curl', ['-sS', `smtp://127.0.0.1:${s.port}`, '--mail-from', 'me@163.com', '--mail-rcpt', 'friend@qq.com', '--user', 'me@163.com:wrong', '-T', file]);
    expect(bad.status).toBe(67);
    noCredential(s.raw);
  });
});

describe('the mx role and the login bounds', () => {
  it("the mx role offers no AUTH, and answers one as an unknown command in the profile's words", async () => {
    const s = await sink({ role: 'mx', accounts: [] });
    const c = await rawSmtp(s.port);
    expect(await c.send('EHLO mail.shop.example')).not.toMatch(/AUTH/);
    expect(await c.send(`AUTH PLAIN ${b64(`\0me@163.com\0${PASSWORD}`)}`)).toBe('500 Error: bad syntax');
    c.end();
  });

  it('an IP past its failed logins stays refused with the right password too', async () => {
    const s = await sink({ limitOverrides: { 'max-auth-failures': 2, 'max-account-auth-failures': 100 } });
    const c = await rawSmtp(s.port);
    await c.send('EHLO client.example');
    expect(await c.send(`AUTH PLAIN ${b64('\0me@163.com\0wrong')}`)).toMatch(/^535/);
    expect(await c.send(`AUTH PLAIN ${b64('\0me@163.com\0wrong')}`)).toBe('554 IP is rejected, smtp auth error limit exceed');
    expect(await c.send(`AUTH PLAIN ${b64(`\0me@163.com\0${PASSWORD}`)}`)).toBe('554 IP is rejected, smtp auth error limit exceed');
    c.end();
  });

  it.each(['outlook', 'yahoo', 'qq'])('--provider %s: a wrong password is refused (the sink\'s own 535 where the profile has none), never 235', async (provider) => {
    const other = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true, profilePaths: [defaultProfilePath(provider)] });
    const s = await sink({ session: other });
    const c = await rawSmtp(s.port);
    await c.send('EHLO client.example');
    expect(await c.send(`AUTH PLAIN ${b64('\0me@163.com\0wrong')}`)).toMatch(/^5\d\d /);
    c.end();
  });

  it("BDAT and unknown verbs get the profile's reply, are logged, and count toward the bad-command limit", async () => {
    const s = await sink({ role: 'mx', accounts: [], limitOverrides: { 'max-bad-commands': 3 } });
    const c = await rawSmtp(s.port);
    expect(await c.send('BDAT 10 LAST')).toBe('500 Error: bad syntax');
    expect(await c.send('XYZZY')).toBe('500 Error: bad syntax');
    expect(await c.send('FROB')).toBe('450 MI:CEL');
    await c.closed;
    await eventually(() => expect(s.lines.flatMap((l) => l.replies as { command: string }[]).map((r) => r.command)).toEqual(['BDAT', 'XYZZY', 'FROB']));
  });

  it("MAIL FROM with SIZE= past the limit gets the profile's size reply", async () => {
    const s = await sink({ role: 'mx', accounts: [] });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.shop.example');
    expect(await c.send('MAIL FROM:<news@shop.example> SIZE=60000000')).toBe('552 Requested mail action aborted: exceeded mailsize limit');
    c.end();
  });
});

describe('bounds that hold against slow, large and endless clients', () => {
  it('a command trickled a byte at a time does not beat the deadline: 421, closed, logged', async () => {
    const s = await sink({ role: 'mx', accounts: [], bounds: { commandMs: 400 } });
    const socket = connect(s.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    const timer = setInterval(() => socket.write('N'), 50);
    await new Promise((done) => socket.on('close', done));
    clearInterval(timer);
    expect(received).toMatch(/\r\n421 4\.4\.2 presend sink: a command was not complete within 0\.4 s, closing\r\n$/);
    await eventually(() => expect(s.lines.at(-1)).toMatchObject({ replies: [expect.objectContaining({ command: '(incomplete command)' })] }));
  });

  it('DATA trickled in does not beat its deadline either; the aborted transaction is logged', async () => {
    const s = await sink({ role: 'mx', accounts: [], bounds: { dataMs: 400 } });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.shop.example');
    await c.send('MAIL FROM:<news@shop.example>');
    await c.send('RCPT TO:<reader@163.com>');
    await c.send('DATA');
    const timer = setInterval(() => c.sendRaw('x'), 50).unref();
    await c.closed;
    clearInterval(timer);
    await eventually(() => expect(s.lines.at(-1)).toMatchObject({ mailFrom: 'news@shop.example', aborted: 'the client closed the connection during DATA' }));
  });

  it('a client that hangs up in DATA is logged as aborted', async () => {
    const s = await sink({ role: 'mx', accounts: [] });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.shop.example');
    await c.send('MAIL FROM:<news@shop.example>');
    await c.send('RCPT TO:<reader@163.com>');
    await c.send('DATA');
    void c.sendRaw('Subject: half\r\n\r\nhalf a mess');
    c.end();
    await c.closed;
    await eventually(() => expect(s.lines.at(-1)).toMatchObject({ rcpt: ['reader@163.com'], aborted: 'the client closed the connection during DATA' }));
  });

  it('past the bytes held across connections a message gets a temporary 452, said to be the sink\'s; the next is served', async () => {
    const s = await sink({ role: 'mx', accounts: [], bounds: { heldBytes: 2 * 1024 * 1024 } });
    const big = draft({ From: 'News <news@newsletter.example>', To: 'reader@163.com' }, [], `${'y'.repeat(76)}\r\n`.repeat(9000));
    const send = () => nodemailer.createTransport({ host: '127.0.0.1', port: s.port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example' }).sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: big }).then((i) => i.response, (e: { response: string }) => e.response);
    const replies = await Promise.all([send(), send()]);
    expect(replies.some((r) => /^452 4\.3\.1 presend sink: insufficient storage/.test(r))).toBe(true);
    expect(await send()).not.toMatch(/^452/);
  });

  it('--accept still bounds the log: endless NOOPs and RCPTs leave a bounded line with counts', async () => {
    const s = await sink({ role: 'mx', accounts: [], accept: true, bounds: { recipients: 50, loggedReplies: 20, loggedRecipients: 10 } });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.shop.example');
    await c.send('MAIL FROM:<news@shop.example>');
    const replies: string[] = [];
    for (let i = 0; i < 60; i++) replies.push(await c.send(`RCPT TO:<r${i}@163.com>`));
    for (let i = 0; i < 200; i++) await c.send('NOOP');
    await c.send('RSET');
    c.end();
    expect(replies.filter((r) => r.startsWith('452 4.5.3 presend sink: too many recipients'))).toHaveLength(10);
    const line = s.lines.at(-1) as { replies: unknown[]; repliesNotLogged: number; rcpt: string[]; rcptCount: number };
    expect(line.replies.length).toBeLessThanOrEqual(20);
    expect(line.repliesNotLogged).toBeGreaterThan(0);
    expect(line.rcpt).toHaveLength(10);
    expect(line.rcptCount).toBe(50);
    expect(s.raw.at(-1)!.length).toBeLessThan(8000);
  });

  it('--store writes owner-only files in an owner-only folder, and stops at its cap (said in the log)', async () => {
    const store = join(dir, 'store');
    const s = await sink({ role: 'mx', accounts: [], store, clientIp: '198.51.100.25', bounds: { storeBytes: 60_000 } });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: s.port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example' });
    const raw = draft({ From: 'News <news@newsletter.example>', To: 'reader@163.com', 'Message-ID': '<s@newsletter.example>' }, [], 'Hello,\r\nthis month in our shop.\r\n');
    for (let i = 0; i < 12; i++) await transport.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw });
    expect(statSync(store).mode & 0o077).toBe(0);
    const files = readdirSync(store);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(store, f)).mode & 0o077).toBe(0);
    expect(s.lines.at(-1)).toMatchObject({ notStored: expect.stringMatching(/--store holds/) });
  });
});

describe('a log that cannot be written is never silent', () => {
  const bin = resolve('bin/presend.js');
  const startCli = (args: string[], stdio: 'pipe' | 'head') =>
    new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [bin, 'sink', '--listen', '127.0.0.1:0', '--offline', '--zone', 'fixtures/zones/newsletter.example.zone', ...args], { env: { ...process.env, NO_COLOR: '1' } });
      let stderr = '';
      let out = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', async (d: Buffer) => {
        out += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)\n/.exec(out);
        if (!m || out.includes('\u0000sent')) return;
        out += '\u0000sent';
        // `| head -1`: the reader goes away after the first line.
        if (stdio === 'head') child.stdout.destroy();
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(m[1]), secure: false, ignoreTLS: true, name: 'mail.newsletter.example' });
        for (let i = 0; i < 3; i++) await transport.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw: draft({ From: 'news@newsletter.example', To: 'reader@163.com' }, [], 'hello\r\n') }).catch(() => undefined);
        setTimeout(() => child.kill('SIGTERM'), 3000).unref();
      });
      child.on('close', (status) => done({ status, stderr }));
    });

  it('--log on a full disk (/dev/full): one line on stderr, exit 1', async () => {
    const r = await startCli(['--log', '/dev/full'], 'pipe');
    expect(r.stderr).toMatch(/^presend sink: the log --log \/dev\/full cannot be written \(ENOSPC\); stopping$/m);
    expect(r.status).toBe(1);
  });

  it('the log on standard output whose reader went away (| head -1): one line on stderr, exit 1', async () => {
    const r = await startCli([], 'head');
    expect(r.stderr).toMatch(/cannot be written \(EPIPE\); stopping/);
    expect(r.status).toBe(1);
  });
});

describe('DSN and SMTPUTF8 as RFC 3461 and RFC 6531 say', () => {
  it.each([
    ['MAIL with RET=', 'MAIL FROM:<news@newsletter.example> RET=HDRS', null, /^555 5\.5\.4 presend sink: RET= is a DSN parameter/],
    ['MAIL with ENVID=', 'MAIL FROM:<news@newsletter.example> ENVID=abc', null, /^555 5\.5\.4 /],
    ['RCPT with NOTIFY=', 'MAIL FROM:<news@newsletter.example>', 'RCPT TO:<reader@163.com> NOTIFY=SUCCESS,FAILURE', /^555 5\.5\.4 presend sink: NOTIFY= is a DSN parameter/],
    ['a UTF-8 recipient without SMTPUTF8', 'MAIL FROM:<news@newsletter.example>', 'RCPT TO:<读者@163.com>', /^553 5\.6\.7 presend sink: a non-ASCII address needs SMTPUTF8/],
    ['a UTF-8 recipient with SMTPUTF8', 'MAIL FROM:<news@newsletter.example> SMTPUTF8', 'RCPT TO:<读者@163.com>', /^250 /],
  ])('%s', async (_name, mail, rcpt, reply) => {
    const s = await sink({ role: 'mx', accounts: [], clientIp: '198.51.100.25' });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.newsletter.example');
    const mailReply = await c.send(mail);
    expect(rcpt === null ? mailReply : await c.send(rcpt)).toMatch(reply);
    c.end();
  });

  it('raw UTF-8 headers in an SMTPUTF8 transaction are not a format problem', async () => {
    const s = await sink({ role: 'mx', accounts: [], clientIp: '198.51.100.25' });
    const c = await rawSmtp(s.port);
    await c.send('EHLO mail.newsletter.example');
    await c.send('MAIL FROM:<news@newsletter.example> SMTPUTF8');
    await c.send('RCPT TO:<reader@163.com>');
    await c.send('DATA');
    await c.sendRaw('From: 新闻 <news@newsletter.example>\r\nTo: reader@163.com\r\nSubject: 本月新品\r\nDate: Mon, 07 Dec 2026 10:00:00 +0800\r\nMessage-ID: <u8@newsletter.example>\r\n\r\nHello.\r\n.\r\n');
    c.end();
    await eventually(() => expect(s.lines.at(-1)).toHaveProperty('findings'));
    expect((s.lines.at(-1) as { findings: { message: string }[] }).findings.some((f) => /raw non-ASCII/.test(f.message))).toBe(false);
  });
});
