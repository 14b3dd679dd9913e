import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { presend } from '../helpers/cli.js';
import { serveZoneSet } from '../helpers/dns.js';
import { fixtureZones } from '../helpers/fixtures.js';

let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZoneSet(fixtureZones());
});
afterAll(() => server.close());
const dns = () => ['--resolver', server.address, '--timeout', '2000'];
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);

describe('presend codes', () => {
  it('lists every code as JSON, with how each is known', async () => {
    const r = await presend(['codes', '--format', 'json']);
    expect(r.status).toBe(0);
    const codes = JSON.parse(r.stdout).codes as { code: string; knownBy: string; rules: string[] }[];
    expect(codes.map((c) => c.code)).toContain('550 MI:DMA');
    expect(codes.find((c) => c.code === '550 MI:SPF')).toMatchObject({ knownBy: 'predicted', rules: expect.arrayContaining(['spf-authorized']) });
    expect(codes.find((c) => c.code === '550 Invalid User')).toMatchObject({ knownBy: 'explain-only', rules: [] });
  });
  it('prints a table', async () => {
    const r = await presend(['codes']);
    expect(r.stdout).toContain('550 MI:NHD');
    expect(r.stdout).toContain('predicted: helo-not-empty');
  });
});

describe('presend explain', () => {
  it('explains DMARC in Chinese', async () => {
    const r = await presend(['explain', '550 MI:DMA', '--lang', 'zh']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('该邮件未被发信域的DMARC许可');
    expect(r.stdout).toContain('dmarc-aligned-reject');
  });
  it('takes its language from LANG', async () => {
    expect((await presend(['explain', 'MI:NHD'], { LANG: 'zh_CN.UTF-8' })).stdout).toContain('HELO命令不允许为空');
  });
  it('reads a DSN file', async () => {
    const r = await presend(['explain', '--file', 'fixtures/bounces/163-mi-spf.eml', '--format', 'json']);
    expect(JSON.parse(r.stdout).explanation).toMatchObject({ known: true, code: '550 MI:SPF', token: 'MI:SPF' });
  });
  it('an unknown code is exit 1 with the closest candidates', async () => {
    const r = await presend(['explain', '550 MI:SFP']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('not a NetEase code presend knows');
    expect(r.stdout).toContain('550 MI:SPF');
  });
  it('a missing file is exit 2, one line', async () => {
    const r = await presend(['explain', '--file', 'nope.eml']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    noStack(r.stderr);
  });
});

describe('presend domain', () => {
  it('reports an empty HELO as an error and takes a null sender (the bounce path) at the MX (JSON contract), exit 1', async () => {
    const r = await presend(['domain', 'example.com', '--helo', '', '--mail-from', '<>', '--format', 'json', '--offline']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ tool: 'presend', version: expect.any(String) });
    const [report] = json.reports;
    expect(report.target).toMatchObject({ kind: 'domain', domain: 'example.com', helo: '', mailFrom: '' });
    expect(report.verdict).toBe('fail');
    const errors = report.findings.filter((f: { severity: string }) => f.severity === 'error');
    // NetEase's MX takes bounces (RFC 5321 §4.5.5): the null sender is refused on the submission side only.
    expect(errors.map((f: { code: string }) => f.code)).toEqual(['550 MI:NHD']);
    for (const f of report.findings) expect(Object.keys(f)).toEqual(['rule', 'severity', 'provider', 'code', 'token', 'message', 'remedy', 'evidence']);
    for (const c of report.checks) expect(c).toMatchObject({ check: expect.any(String), status: expect.any(String), ms: expect.any(Number) });
  });

  it('checks a domain end to end over DNS, with evidence, and overlapping lookups', async () => {
    const r = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--format', 'json', ...dns()]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout).reports[0];
    const rules = report.findings.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['spf-authorized', 'dmarc-aligned-reject', 'ip-not-listed', 'dnsbl-unusable', 'ptr-forward-confirmed']));
    expect(rules).not.toContain('spf-record-missing');
    for (const f of report.findings) {
      expect(Object.keys(f.evidence).length).toBeGreaterThan(0);
      expect(f.message).not.toMatch(/\{[a-zA-Z]+\}/);
    }
    const trace = report.dns.trace.filter((t: { source: string }) => t.source === 'network') as { startMs: number; ms: number }[];
    expect(trace.length).toBeGreaterThan(10);
    const firstEnd = Math.min(...trace.map((t) => t.startMs + t.ms));
    expect(trace.filter((t) => t.startMs < firstEnd).length).toBeGreaterThan(5);
  });

  it('--fail-on never exits 0; --fail-on warning counts warnings', async () => {
    expect((await presend(['domain', 'shop.example', '--helo', '', '--offline', '--fail-on', 'never'])).status).toBe(0);
    const clean = ['domain', 'newsletter.example', '--ip', '198.51.100.25', '--helo', 'mail.newsletter.example', '--dnsbl', 'bl.spamcop.net', ...dns()];
    expect((await presend(clean)).status).toBe(0);
    expect((await presend([...clean, '--dkim-selector', 'missing', '--fail-on', 'warning'])).status).toBe(1);
  });

  it('a --zone file answers what-if questions before any resolver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presend-zone-'));
    const zone = join(dir, 'shop.zone');
    writeFileSync(zone, '$ORIGIN shop.example.\n@ TXT "v=spf1 ip4:203.0.113.5 -all"\n_dmarc TXT "v=DMARC1; p=reject"\n@ MX 10 mx.shop.example.\n');
    const r = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--zone', zone, '--dnsbl', 'bl.spamcop.net', '--format', 'json', ...dns()]);
    const rules = JSON.parse(r.stdout).reports[0].findings.map((f: { rule: string }) => f.rule);
    expect(rules).not.toContain('spf-authorized');
    expect(rules).not.toContain('dmarc-aligned-reject');
  });

  it('writes to --output and prints plain text without a TTY', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'presend-out-')), 'report.json');
    const r = await presend(['domain', 'shop.example', '--offline', '--format', 'json', '--output', out]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).reports).toHaveLength(1);
    const text = await presend(['domain', 'shop.example', '--helo', '', '--offline']);
    expect(text.stdout).not.toContain('\x1b[');
    expect(text.stdout.trim().split('\n').pop()).toContain('NetEase would reply: 550 MI:NHD');
  });

  it.each([
    [['domain', 'example.com', '--ip', '999.1.1.1'], /--ip "999.1.1.1": not an IPv4 or IPv6 address/],
    [['domain', 'not a domain'], /domain "not a domain"/],
    [['domain', 'example.com', '--resolver', 'dns.google'], /--resolver dns.google/],
    [['domain', 'example.com', '--zone', 'missing.zone'], /--zone missing.zone: cannot read \(ENOENT\)/],
    [['domain', 'example.com', '--timeout', 'soon'], /--timeout "soon"/],
    [['domain', 'example.com', '--format', 'yaml'], /.*/],
    [['domain', 'example.com', '--dkim-selector', 'bad selector!'], /--dkim-selector/],
    [['eml', 'fixtures/drafts/empty.eml'], /fixtures\/drafts\/empty.eml: empty file/],
    [['eml', 'fixtures/drafts/not-a-message.bin', '--offline'], /not-a-message.bin: binary data/],
    [['eml', 'fixtures/drafts/clean-plain.eml', '--max-message-size', 'big', '--offline'], /--max-message-size "big"/],
    [['frobnicate'], /.*/],
  ])('bad input %j is exit 2 with one line and no stack trace', async (args, pattern) => {
    const r = await presend(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(pattern);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    noStack(r.stderr);
  });

  it('a report larger than a pipe holds, to a reader that waits before reading, arrives whole', async () => {
    // 150 KB of JSON into a 64 KB pipe: the writer must wait for the reader, not drop or cut the rest.
    const child = spawn(process.execPath, ['bin/presend.js', 'codes', '--provider', 'all', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.pause();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    setTimeout(() => child.stdout.resume(), 500);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const text = Buffer.concat(chunks).toString('utf8');
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(Buffer.byteLength(text)).toBeGreaterThan(128 * 1024);
    expect((JSON.parse(text) as { profiles: unknown[] }).profiles).toHaveLength(5);
  });

  it('a throw outside the run (a callback of a stream or timer) is one line and exit 2, not a stack trace', async () => {
    // Loaded before presend: a timer that throws once the run has begun.
    const r = await presend(['explain', '550 MI:SPF'], { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent('setTimeout(() => { throw new Error("boom in a callback"); }, 300);')}` });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('presend: internal error: boom in a callback');
    noStack(r.stderr);
  });
});

describe('presend eml', () => {
  it('checks several drafts, one report each', async () => {
    const r = await presend(['eml', 'fixtures/drafts/clean-plain.eml', 'fixtures/drafts/attachment-bat.eml', '--offline', '--format', 'json']);
    expect(r.status).toBe(1);
    const reports = JSON.parse(r.stdout).reports;
    expect(reports.map((x: { target: { file: string } }) => x.target.file)).toEqual(['fixtures/drafts/clean-plain.eml', 'fixtures/drafts/attachment-bat.eml']);
    expect(reports.map((x: { verdict: string }) => x.verdict)).toEqual(['pass', 'fail']);
  });

  it('runs the whole demo campaign through DNS', async () => {
    const r = await presend(['eml', 'fixtures/drafts/demo-campaign.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', ...dns()]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/NetEase would reply: .*554 DT:SUM.*552 Illegal Attachment/);
  });
});

describe('a malformed profile', () => {
  it('is exit 2 with one line naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presend-bad-profile-'));
    const file = join(dir, 'netease.yaml');
    writeFileSync(file, readFileSync('rules/netease.yaml', 'utf8').replace('knownBy: plan', 'knownBy: sometimes'));
    const r = await presend(['codes', '--profile', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/codes\[0\]\.knownBy \(421 HL:REP\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
