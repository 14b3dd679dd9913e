/**
 * How arguments are read: several domains, options that take several values placed
 * before the positional, shards that split a list exactly, and NDJSON lines that can be
 * put back in input order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { presend } from '../helpers/cli.js';
import { serveZoneSet } from '../helpers/dns.js';
import { fixtureZones } from '../helpers/fixtures.js';

let server: RunningZoneServer;
const dir = mkdtempSync(join(tmpdir(), 'presend-args-'));
beforeAll(async () => {
  server = await serveZoneSet(fixtureZones());
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
const dns = () => ['--resolver', server.address, '--timeout', '2000'];
const domainsOf = (stdout: string) => (JSON.parse(stdout) as { reports: { target: { domain: string } }[] }).reports.map((r) => r.target.domain);

describe('arguments', () => {
  it('several domains, reported in the order given', async () => {
    const r = await presend(['domain', 'shop.example', 'newsletter.example', 'mailer.example', ...dns(), '--format', 'json']);
    expect(domainsOf(r.stdout)).toEqual(['shop.example', 'newsletter.example', 'mailer.example']);
  });

  it('--dkim-selector before the domain: the domain is taken back from it', async () => {
    const r = await presend(['domain', '--dkim-selector', 's2024', 'shop.example', ...dns(), '--format', 'json']);
    expect(r.status).not.toBe(2);
    const report = (JSON.parse(r.stdout) as { reports: { target: { domain: string }; checks: { check: string; status: string }[] }[] }).reports[0]!;
    expect(report.target.domain).toBe('shop.example');
    expect(report.checks.find((c) => c.check === 'dkim-key')?.status).not.toBe('skipped');
  });

  it('--dnsbl before the domain cannot be told apart: one line that says how', async () => {
    const r = await presend(['domain', '--dnsbl', 'bl.spamcop.net', 'shop.example', ...dns()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('put the domain first');
  });

  it('--rcpt before the draft: the file is taken back from it', async () => {
    const r = await presend(['eml', '--rcpt', 'a@163.com', 'b@126.com', 'fixtures/drafts/clean-plain.eml', '--offline', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).reports[0].target.file).toBe('fixtures/drafts/clean-plain.eml');
  });
});

describe('--shard K/N', () => {
  const domains = ['shop.example', 'newsletter.example', 'mailer.example', 'reports.example', 'esp-mailer.example', 'nosuch.example', 'shop.example', 'newsletter.example', 'mailer.example'];
  const list = join(dir, 'domains.txt');
  writeFileSync(list, domains.join('\n') + '\n');

  it('4 shards: their union is the unsharded run, each domain exactly once, in order by index', async () => {
    const run = async (extra: string[]) => {
      const r = await presend(['domain', '--file', list, ...dns(), '--format', 'ndjson', '--fail-on', 'never', ...extra]);
      return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { index: number; source: string; report: { target: { domain: string }; verdict: string } });
    };
    const whole = await run([]);
    const shards = await Promise.all([1, 2, 3, 4].map((k) => run(['--shard', `${k}/4`])));
    const union = shards.flat().sort((a, b) => a.index - b.index);
    expect(union.map((l) => l.index)).toEqual(domains.map((_, i) => i + 1));
    expect(union.map((l) => [l.report.target.domain, l.report.verdict])).toEqual(whole.sort((a, b) => a.index - b.index).map((l) => [l.report.target.domain, l.report.verdict]));
    expect(union.map((l) => l.source)).toEqual(domains.map((_, i) => `${list}:${i + 1}`));
  });

  it.each(['0/4', '5/4', '1/0', 'half'])('a bad shard %j is one line, exit 2', async (spec) => {
    const r = await presend(['domain', '--file', list, '--shard', spec, '--offline']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--shard');
  });
});
