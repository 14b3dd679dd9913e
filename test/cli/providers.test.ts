/**
 * One run, several providers: the same observations judged by NetEase's and Gmail's
 * rules, each finding carrying its provider, the text grouped per provider with one
 * reply line each, SARIF rule ids qualified; `codes` and `sink` per provider.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { defaultProfilePath } from '../../src/profile/load.js';
import { startSink } from '../../src/sink/server.js';
import { presend } from '../helpers/cli.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { rawSmtp } from '../helpers/smtp.js';

const zones = readdirSync('fixtures/zones')
  .filter((f) => f.endsWith('.zone'))
  .flatMap((f) => ['--zone', `fixtures/zones/${f}`]);
const campaign = ['eml', 'fixtures/drafts/demo-campaign.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--offline', ...zones];

interface JsonFinding {
  rule: string;
  provider: string;
  severity: string;
  code: string | null;
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as { reports: { findings: JsonFinding[] }[] }).reports[0]!.findings;

describe('--provider', () => {
  it('defaults to NetEase alone', async () => {
    const findings = findingsOf((await presend([...campaign, '--format', 'json'])).stdout);
    expect(new Set(findings.map((f) => f.provider))).toEqual(new Set(['netease']));
  });

  it('gmail: the same draft is judged by Gmail\'s rules, as its pages say', async () => {
    const { stdout, status } = await presend([...campaign, '--provider', 'gmail', '--format', 'json']);
    expect(status).toBe(1);
    const errors = findingsOf(stdout).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.rule).sort()).toEqual(['attachment-blocked', 'dmarc-reject', 'ptr-forward-confirmed']);
    expect(errors.every((f) => f.provider === 'gmail')).toBe(true);
    // NetEase refuses 130 recipients (550 RP:RCL) and a foreign envelope (554 DT:SUM); Gmail documents neither.
    expect(findingsOf(stdout).some((f) => f.code?.includes('RP:RCL'))).toBe(false);
  });

  it('all: findings of both, grouped per provider, one reply line each', async () => {
    const json = findingsOf((await presend([...campaign, '--provider', 'all', '--format', 'json'])).stdout);
    expect(new Set(json.map((f) => f.provider))).toEqual(new Set(['netease', 'gmail', 'outlook', 'qq', 'yahoo']));
    const { stdout } = await presend([...campaign, '--provider', 'netease,gmail']);
    expect(stdout).toContain('── NetEase ──');
    expect(stdout).toContain('── Gmail ──');
    expect(stdout.indexOf('── NetEase ──')).toBeLessThan(stdout.indexOf('── Gmail ──'));
    expect(stdout).toMatch(/^NetEase would reply: 550 MI:DMA/m);
    expect(stdout).toMatch(/^Gmail would reply: 550 5\.7\.26 Unauthenticated email/m);
  });

  it('SARIF: rule ids are provider-qualified when several providers answer', async () => {
    const sarif = JSON.parse((await presend([...campaign, '--provider', 'all', '--format', 'sarif'])).stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex?: number }[] }[] };
    const run = sarif.runs[0]!;
    expect(run.results.map((r) => r.ruleId)).toEqual(expect.arrayContaining(['netease/attachment-forbidden', 'gmail/attachment-blocked']));
    for (const r of run.results) if (r.ruleIndex !== undefined) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('SARIF: the engine\'s could-not-check has a descriptor too, and each finding its own fingerprint', async () => {
    // Spamhaus refuses the fixtures' resolver and no zone holds this IP's PTR: two could-not-check for one target.
    const sarif = JSON.parse((await presend(['domain', 'shop.example', '--ip', '192.0.2.99', '--offline', ...zones, '--provider', 'outlook,qq', '--format', 'sarif'])).stdout) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex?: number; partialFingerprints: { presendTarget: string } }[] }[];
    };
    const run = sarif.runs[0]!;
    const undecided = run.results.filter((r) => r.ruleId === 'outlook/could-not-check');
    expect(undecided.length).toBeGreaterThan(1);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(new Set(run.results.map((r) => r.partialFingerprints.presendTarget)).size).toBe(run.results.length);
  });

  it('an unknown provider is one clear line and exit 2', async () => {
    const { status, stderr } = await presend([...campaign, '--provider', 'hotmale']);
    expect(status).toBe(2);
    expect(stderr.trim()).toMatch(/^presend: --provider hotmale: no such provider profile \(known: netease, gmail.*\)$/);
  });

  it('codes --provider gmail lists Gmail\'s catalogue with its sources', async () => {
    const json = JSON.parse((await presend(['codes', '--provider', 'gmail', '--format', 'json'])).stdout) as { provider: string; codes: { code: string; source: string }[] };
    expect(json.provider).toBe('gmail');
    expect(json.codes.map((c) => c.code)).toContain("550 5.7.25 This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address.");
    const all = JSON.parse((await presend(['codes', '--provider', 'all', '--format', 'json'])).stdout) as { profiles: { provider: string }[] };
    expect(all.profiles.map((p) => p.provider)).toEqual(['netease', 'gmail', 'outlook', 'qq', 'yahoo']);
  });
});

describe('what differs by provider, as each provider\'s pages say', () => {
  const codesBy = (stdout: string) => {
    const reports = (JSON.parse(stdout) as { reports: { findings: JsonFinding[] }[] }).reports;
    return reports.map((r) => Object.fromEntries(['netease', 'gmail', 'outlook', 'yahoo', 'qq'].map((p) => [p, r.findings.filter((f) => f.provider === p && f.severity !== 'info').map((f) => f.code)])));
  };

  it('repeated headers and a From domain that is no host name: each provider as its pages say, QQ Mail documents nothing', async () => {
    const { stdout } = await presend(['eml', 'fixtures/drafts/headers-repeated.eml', 'fixtures/drafts/from-two-headers.eml', 'fixtures/drafts/from-domain-underscore.eml', '--offline', '--provider', 'all', '--format', 'json']);
    const [repeated, twoFrom, underscore] = codesBy(stdout);
    expect(repeated).toEqual({
      netease: ['550 DT:SPM'],
      gmail: ['550 5.7.1 This message is not RFC 5322 compliant because it has duplicate headers.'],
      outlook: ['550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant'],
      yahoo: ['554 Message not allowed - Headers are not RFC compliant[291]'],
      qq: [],
    });
    // Yahoo names addresses with forbidden characters among its policy reasons, with no reply text: a warning without a code.
    expect(underscore).toEqual({
      netease: ['550 MI:IMF'],
      gmail: ['550 5.7.1 This message is not RFC 5322 compliant because the From: header has a non-compliant domain name.'],
      outlook: ['550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant'],
      yahoo: [null],
      qq: [],
    });
    expect(twoFrom).toEqual({
      netease: ['550 MI:IMF'],
      gmail: ['550 5.7.1 This message is not RFC 5322 compliant because it has multiple From: headers.'],
      outlook: ['550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant'],
      yahoo: ['554 Message not allowed - Headers are not RFC compliant[291]'],
      qq: [],
    });
  });

  it('Outlook.com: a record that allows no IP is the Sender ID reply, a Spamhaus PBL listing DY-001, another listing OU-001', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presend-outlook-'));
    try {
      const zone = join(dir, 'parked.zone');
      writeFileSync(zone, ['$ORIGIN parked.example.', '@ IN TXT "v=spf1 -all"', '@ IN MX 10 mx.parked.example.', 'mx IN A 192.0.2.9', '$ORIGIN zen.spamhaus.org.', '2.0.0.127 IN A 127.0.0.2', '9.2.0.192 IN A 127.0.0.11', '10.2.0.192 IN A 127.0.0.2', ''].join('\n'));
      const run = async (ip: string) => findingsOf((await presend(['domain', 'parked.example', '--ip', ip, '--offline', '--zone', zone, '--dnsbl', 'zen.spamhaus.org', '--provider', 'outlook', '--format', 'json'])).stdout);
      const dynamic = await run('192.0.2.9');
      expect(dynamic.filter((f) => f.severity === 'error').map((f) => [f.rule, f.code])).toEqual([
        ['sender-id-deny-all', '550 command rejected due to Sender ID validation failure.'],
        ['spamhaus-dynamic', '550 DY-001'],
      ]);
      expect((await run('192.0.2.10')).map((f) => f.code)).toContain('550 OU-001');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sink --provider gmail', () => {
  it("answers with Gmail's documented replies", async () => {
    const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true, profilePaths: [defaultProfilePath('gmail')] });
    const sink = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, log: () => undefined, allowedIps: new Set(['192.0.2.1']), clientIp: '192.0.2.9' });
    try {
      const refused = await rawSmtp(sink.port);
      expect(refused.greeting).toBe('421 4.7.0 IP not in whitelist for RCPT domain, closing connection.');
      refused.end();
    } finally {
      await sink.close();
    }
    const open = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, log: () => undefined });
    try {
      const c = await rawSmtp(open.port);
      expect(await c.send('EHLO')).toBe('501 5.5.4 Empty HELO/EHLO argument not allowed, closing connection.');
      c.end();
    } finally {
      await open.close();
    }
  });

  it('says which stages Gmail documents no reply for, instead of inventing one', async () => {
    const child = spawn(process.execPath, ['bin/presend.js', 'sink', '--listen', '127.0.0.1:0', '--provider', 'gmail', '--offline'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/^presend sink: Gmail documents no reply for .*null-sender.*; the sink cannot simulate those and lets them pass$/m);
  });
});

describe('sink --provider outlook', () => {
  it("answers the postmaster page's rate replies: RP-003 past the connections, RP-001 past the IP's rate", async () => {
    const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true, profilePaths: [defaultProfilePath('outlook')] });
    const connections = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, log: () => undefined, clientIp: '192.0.2.9', limitOverrides: { 'max-concurrent-connections': 2 } });
    try {
      const open = [await rawSmtp(connections.port), await rawSmtp(connections.port)];
      const third = await rawSmtp(connections.port);
      expect(third.greeting).toBe('421 RP-003');
      for (const c of [...open, third]) c.end();
    } finally {
      await connections.close();
    }
    // newsletter.example's SPF covers 198.51.100.25: its message is taken, and spends the window.
    const rate = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, log: () => undefined, clientIp: '198.51.100.25', limitOverrides: { 'max-messages-per-window': 1 } });
    try {
      const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: rate.port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example' });
      const taken = await mailer.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@outlook.com'] }, raw: 'From: News <news@newsletter.example>\r\nTo: reader@outlook.com\r\nSubject: The spring catalogue\r\nDate: Sat, 28 Nov 2026 10:00:00 +0800\r\nMessage-ID: <n1@newsletter.example>\r\n\r\nHello, the spring catalogue is out.\r\n' });
      expect(taken.response).toMatch(/^250 /);
      // The window's one message is spent: the IP's next connection is refused as Outlook.com words it.
      const next = await rawSmtp(rate.port);
      expect(next.greeting).toBe('421 RP-001');
      next.end();
    } finally {
      await rate.close();
    }
  });
});
