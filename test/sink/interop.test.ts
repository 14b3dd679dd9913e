/**
 * swaks, the SMTP test client postmasters use, against the sink in both roles (issue 25):
 * each dialogue completes with the profile's reply at the right stage, and the line swaks
 * prints for a refusal is fed back to `explain`, which must name the same code and side.
 * Where swaks is not installed (CI installs it with apt) the cases say so as skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { explain } from '../../src/explain/explain.js';
import { loadProfile } from '../../src/profile/load.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { sinkStarter } from '../helpers/sink.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const hasSwaks = spawnSync('swaks', ['--version'], { encoding: 'utf8' }).status === 0;
const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true });
const netease = loadProfile();
const PASSWORD = 'auth-code-9';
let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.remove());

const sink = sinkStarter({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false });

function swaks(args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn('swaks', ['--server', '127.0.0.1', '--timeout', '10', '--helo', 'mail.newsletter.example', ...args]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => done({ status, out }));
  });
}

/** The reply swaks shows for a refusal: its `<** ` line. */
const refusal = (out: string) => /^<\*\* (.*)$/m.exec(out)?.[1] ?? null;

describe.skipIf(!hasSwaks)('swaks against the sink', () => {
  it('submission: AUTH LOGIN with the right password sends; a wrong one is 535, which explain reads as NetEase\'s, submission side', async () => {
    const s = await sink({ role: 'submission', accounts: [{ user: 'me@163.com', password: PASSWORD }] });
    const ok = await swaks(['--port', String(s.port), '--auth', 'LOGIN', '--auth-user', 'me@163.com', '--auth-password', PASSWORD, '--from', 'me@163.com', '--to', 'friend@qq.com', '--body', 'Hello, the minutes of today are below.']);
    expect(ok.status, ok.out).toBe(0);
    const bad = await swaks(['--port', String(s.port), '--auth', 'LOGIN', '--auth-user', 'me@163.com', '--auth-password', 'wrong', '--from', 'me@163.com', '--to', 'friend@qq.com']);
    expect(bad.status).not.toBe(0);
    const line = refusal(bad.out);
    expect(line).toBe('535 Error: authentication failed');
    expect(explain(line!, netease, 'en')).toMatchObject({ known: true, code: '535 Error: authentication failed', side: 'submission' });
    expect(s.raw.join('')).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('mx: --pipeline and --tls (a certificate of the test CA) deliver a clean message', async () => {
    const s = await sink({ clientIp: '198.51.100.25', tls: { key: pki.key, cert: pki.cert } });
    const r = await swaks(['--port', String(s.port), '--pipeline', '--tls', '--from', 'news@newsletter.example', '--to', 'reader@163.com', '--header', 'Subject: spring catalogue', '--body', 'Hello, this month in our shop: the spring catalogue is out.']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/<~? {1,2}250 Mail OK queued as/);
  });

  it('mx: an attached .scr is refused at DATA with 552 Illegal Attachment, and explain reads swaks\' line', async () => {
    const s = await sink({ clientIp: '198.51.100.25' });
    const file = join(process.env.TMPDIR!, 'setup.scr');
    writeFileSync(file, 'MZ not really a program');
    const r = await swaks(['--port', String(s.port), '--from', 'news@newsletter.example', '--to', 'reader@163.com', '--attach', `@${file}`, '--attach-name', 'setup.scr']);
    expect(r.status).not.toBe(0);
    expect(refusal(r.out)).toBe('552 Illegal Attachment');
    expect(explain(refusal(r.out)!, netease, 'en')).toMatchObject({ known: true, code: '552 Illegal Attachment' });
  });

  it('mx: a header From of NetEase forged by an outside sender is refused, and explain names the code', async () => {
    const s = await sink({ clientIp: '198.51.100.25' });
    const r = await swaks(['--port', String(s.port), '--from', 'news@newsletter.example', '--to', 'reader@163.com', '--header', 'From: Boss <boss@163.com>']);
    expect(r.status).not.toBe(0);
    const line = refusal(r.out)!;
    expect(line).toMatch(/^5\d\d /);
    expect(explain(line, netease, 'en').known).toBe(true);
  });

  it("mx: --from '<>' (a bounce) is taken", async () => {
    const s = await sink({ clientIp: '198.51.100.25' });
    const r = await swaks(['--port', String(s.port), '--from', '<>', '--to', 'reader@163.com', '--header', 'From: Mail Delivery System <mailer-daemon@newsletter.example>', '--body', 'Your message could not be delivered.']);
    expect(r.out).toMatch(/MAIL FROM:<>\s*\n<- {1,2}250/);
  });
});
