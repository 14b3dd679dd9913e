/**
 * `presend smtp` against servers written to hurt it (issue 23): where the password may go
 * (only over TLS that verifies, or that --insecure lets pass; never in clear; only where
 * AUTH is offered), what a server's echo may bring into the output (nothing of the
 * password), replies read as RFC 5321 §4.2 writes them, and a timeout named by the step
 * that was waiting. Every server here records what it received, so the tests see what
 * presend never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presend } from '../helpers/cli.js';
import { ehloOffering, scriptedSmtp, type Script, type ScriptedServer } from '../helpers/scripted-smtp.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const PASSWORD = 'Tr0ub4dor&3-horse';
const USER = 'me@example.com';
const plainB64 = Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64');
const loginB64 = Buffer.from(PASSWORD).toString('base64');

let pki: TestPki;
const servers: ScriptedServer[] = [];
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  pki.remove();
});

/** A well-behaved submission server: STARTTLS (when `tls` is given) then AUTH PLAIN LOGIN, accepting everything. */
function submission(options: { tls?: { key: string; cert: string }; implicit?: boolean; auth?: boolean; onAuth?: string } = {}): Script {
  return {
    ...(options.tls ? { tls: options.tls } : {}),
    implicit: options.implicit ?? false,
    answer(line, secure) {
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') return ehloOffering(...(options.tls && !secure && !options.implicit ? ['STARTTLS'] : []), ...(options.auth === false ? [] : ['AUTH PLAIN LOGIN']));
      if (verb === 'STARTTLS') return '220 go ahead\r\n';
      if (verb === 'AUTH') return options.onAuth ?? '235 ok\r\n';
      if (verb === 'QUIT') return '221 bye\r\n';
      return '250 ok\r\n';
    },
  };
}

async function start(script: Script): Promise<ScriptedServer> {
  const server = await scriptedSmtp(script);
  servers.push(server);
  return server;
}

async function dry(server: ScriptedServer, args: string[], format = 'json') {
  const run = await presend(['smtp', `127.0.0.1:${server.port}`, '--format', format, '--timeout', '1500', '--mail-from', USER, '--rcpt', 'friend@example.org', ...args], { PRESEND_SMTP_PASSWORD: PASSWORD });
  const report = format === 'json' ? (JSON.parse(run.stdout) as { reports: { findings: { rule: string; severity: string; evidence: { step?: string } }[] }[] }).reports[0]! : null;
  return { ...run, report };
}

const sentAuth = (server: ScriptedServer) => server.received.some((line) => /^AUTH\b/i.test(line) || line.includes(plainB64) || line.includes(loginB64));

describe('the password goes only over TLS that verifies', () => {
  it('no STARTTLS offered: no AUTH is sent, an error says why, exit 1', async () => {
    const server = await start(submission());
    const r = await dry(server, ['--user', USER]);
    expect(sentAuth(server)).toBe(false);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-credentials-withheld', severity: 'error' }));
  });

  it('--tls none with --user: no AUTH in clear either', async () => {
    const server = await start(submission({ tls: { key: pki.key, cert: pki.cert } }));
    const r = await dry(server, ['--user', USER, '--tls', 'none']);
    expect(sentAuth(server)).toBe(false);
    expect(r.status).toBe(1);
  });

  it.each([
    ['a self-signed certificate', () => ({ key: pki.selfSignedKey, cert: pki.selfSignedCert })],
    ['a certificate for another name', () => ({ key: pki.wrongNameKey, cert: pki.wrongNameCert })],
  ])('STARTTLS with %s: the handshake is refused, nothing sent over it, exit 1', async (_name, tls) => {
    const server = await start(submission({ tls: tls() }));
    const r = await dry(server, ['--user', USER, '--ca-file', pki.caFile]);
    expect(sentAuth(server)).toBe(false);
    expect(server.received.some((l) => l.startsWith('MAIL'))).toBe(false);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-tls-failed', severity: 'error' }));
  });

  it('implicit TLS with a self-signed certificate: refused at connect, nothing sent', async () => {
    const server = await start(submission({ tls: { key: pki.selfSignedKey, cert: pki.selfSignedCert }, implicit: true }));
    const r = await dry(server, ['--user', USER, '--tls', 'implicit']);
    expect(server.received).toEqual([]);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-tls-failed', evidence: expect.objectContaining({ step: 'connect' }) }));
  });

  it('the CA given with --ca-file verifies: the login goes, every step passes, exit 0', async () => {
    const server = await start(submission({ tls: { key: pki.key, cert: pki.cert } }));
    const r = await dry(server, ['--user', USER, '--ca-file', pki.caFile]);
    expect(r.status).toBe(0);
    expect(server.received).toContain(`AUTH PLAIN ${plainB64}`);
    expect(r.report!.findings).toEqual([]);
  });

  it('--insecure lets an unverified certificate pass (said as a warning), never plaintext', async () => {
    const server = await start(submission({ tls: { key: pki.selfSignedKey, cert: pki.selfSignedCert } }));
    const r = await dry(server, ['--user', USER, '--insecure']);
    expect(server.received).toContain(`AUTH PLAIN ${plainB64}`);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-tls-certificate', severity: 'warning' }));
    const clear = await start(submission());
    await dry(clear, ['--user', USER, '--insecure']);
    expect(sentAuth(clear)).toBe(false);
  });

  it('a server that lists no AUTH is not sent one: "offers no login", exit 1', async () => {
    const server = await start(submission({ tls: { key: pki.key, cert: pki.cert }, auth: false }));
    const r = await dry(server, ['--user', USER, '--ca-file', pki.caFile]);
    expect(sentAuth(server)).toBe(false);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-auth-not-offered' }));
  });

  it('AUTH LOGIN where PLAIN is not offered', async () => {
    const server = await start({ ...submission({ tls: { key: pki.key, cert: pki.cert } }), answer: (line, secure) => (line.startsWith('EHLO') ? ehloOffering(...(secure ? ['AUTH LOGIN'] : ['STARTTLS'])) : line === 'AUTH LOGIN' || line === Buffer.from(USER).toString('base64') ? '334 go on\r\n' : line === 'STARTTLS' ? '220 go\r\n' : line === loginB64 ? '235 ok\r\n' : '250 ok\r\n') });
    const r = await dry(server, ['--user', USER, '--ca-file', pki.caFile]);
    expect(server.received).toContain(loginB64);
    expect(r.status).toBe(0);
  });
});

describe('nothing a server echoes brings the password into the output', () => {
  const echo = `535-5.7.8 You said ${PASSWORD} (${PASSWORD.toUpperCase()})\r\n535-base64 ${plainB64} ${plainB64.toLowerCase()}\r\n535 and ${loginB64} inside x${Buffer.from(`xx${PASSWORD}yy`).toString('base64')}\r\n`;
  it.each(['json', 'text', 'sarif', 'junit', 'github'])('in %s', async (format) => {
    const server = await start(submission({ tls: { key: pki.key, cert: pki.cert }, onAuth: echo }));
    const r = await dry(server, ['--user', USER, '--ca-file', pki.caFile], format);
    expect(r.status).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('credential hidden');
    for (const secret of [PASSWORD, plainB64, loginB64, 'VHIwdWI0ZG9y']) expect(out.toLowerCase()).not.toContain(secret.toLowerCase());
  });
});

describe('replies are read as RFC 5321 §4.2 writes them', () => {
  it.each([
    ['a greeting that starts with words', 'hello there\r\n554 go away\r\n'],
    ['status 000', '000 zero\r\n'],
    ['four digits', '2500 almost\r\n'],
  ])('%s is a protocol error, exit 1', async (_name, greeting) => {
    const server = await start({ greeting, answer: () => '250 ok\r\n' });
    const r = await dry(server, []);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-protocol-error', severity: 'error', evidence: expect.objectContaining({ step: 'greeting' }) }));
  });

  it('a MAIL refused as "whatever\\r\\n550 5.7.1 refused" is an error finding, exit 1', async () => {
    const server = await start({ answer: (line) => (line.startsWith('EHLO') ? ehloOffering() : line.startsWith('MAIL') ? 'whatever\r\n550 5.7.1 refused\r\n' : '250 ok\r\n') });
    const r = await dry(server, []);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-protocol-error', evidence: expect.objectContaining({ step: 'MAIL' }) }));
  });

  it('a multi-line reply is decided by its last line', async () => {
    const server = await start({ answer: (line) => (line.startsWith('EHLO') ? ehloOffering('SIZE 1000', 'PIPELINING') : line.startsWith('MAIL') ? '250-first\r\n250-second\r\n550 5.7.1 last line refuses\r\n' : '250 ok\r\n') });
    const r = await dry(server, []);
    expect(r.status).toBe(1);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-step-refused', evidence: expect.objectContaining({ step: 'MAIL' }) }));
  });

  it('a step that times out is named as itself, not the step before', async () => {
    const polite = submission({ tls: { key: pki.key, cert: pki.cert } });
    const quiet = await start({ ...polite, answer: (line, secure) => (line.startsWith('AUTH') ? null : polite.answer(line, secure)) });
    const r = await dry(quiet, ['--user', USER, '--ca-file', pki.caFile]);
    expect(r.report!.findings).toContainEqual(expect.objectContaining({ rule: 'smtp-could-not-finish', evidence: expect.objectContaining({ step: 'AUTH', reason: 'no reply within 1500 ms' }) }));
  });
});

describe("a server that is not a provider's is not read as one", () => {
  it.each([
    ['530 5.7.0 Must issue a STARTTLS command first', 'MAIL'],
    ['452 4.2.2 Mailbox full', 'RCPT'],
  ])('Postfix on loopback answering %j: a reply from that server, no provider code', async (reply, step) => {
    const server = await start({ answer: (line) => (line.startsWith('EHLO') ? ehloOffering() : line.startsWith(step) ? `${reply}\r\n` : '250 ok\r\n') });
    const r = await dry(server, []);
    expect(r.status).toBe(1);
    const refused = r.report!.findings.find((f) => f.rule === 'smtp-step-refused') as unknown as { code: string | null; message: string };
    expect(refused.code).toBeNull();
    expect(refused.message).toContain('a reply from that server');
    const text = await dry(server, [], 'text');
    expect(text.stdout).not.toMatch(/Gmail would reply: 530|would reply: 452/);
  });

  it("Postfix's sender-login mismatch at RCPT reads as NetEase's 553 Mail from must equal authorized user", async () => {
    const server = await start({ answer: (line) => (line.startsWith('EHLO') ? ehloOffering() : line.startsWith('RCPT') ? `553 5.7.1 <${USER}>: Sender address rejected: not owned by user other@163.com\r\n` : '250 ok\r\n') });
    const r = await dry(server, []);
    const refused = r.report!.findings.find((f) => f.rule === 'smtp-step-refused') as unknown as { message: string; evidence: { step: string } };
    expect(refused.evidence.step).toBe('RCPT');
    expect(refused.message).toContain("it means what NetEase's 553 Mail from must equal authorized user means");
  });
});
