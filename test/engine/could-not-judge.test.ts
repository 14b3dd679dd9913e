/**
 * A gate that checked nothing does not pass, and an offline run invents no fact (issue 23,
 * items 15 and 16; DESIGN.md "Exit status 3", "--offline"). Each row runs the CLI and holds
 * its exit status, its JSON summary and what it says of DMARC.
 */
import { readdirSync } from 'node:fs';
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

interface Json {
  summary: { exitStatus: number };
  reports: { couldNotJudge?: string; findings: { rule: string; severity: string; message: string }[] }[];
}

const shopZone = ['--zone', 'fixtures/zones/shop.example.zone'];
const dead = () => ['--resolver', '127.0.0.1:9', '--timeout', '300'];

describe('exit status 3: could not judge', () => {
  it.each([
    ['a domain --offline with no zone', ['domain', 'shop.example', '--offline'], 3, /--offline with no zone/],
    ['a domain no loaded zone covers', ['domain', 'nozone.example', '--offline', ...shopZone], 3, /SPF record of nozone\.example could not be read/],
    ['a resolver that does not answer', ['domain', 'shop.example', ...dead()], 3, /no answer within 600 ms \(2 tries of 300 ms\)/],
    ['the same, with --fail-on never', ['domain', 'shop.example', ...dead(), '--fail-on', 'never'], 0, /SPF record/],
    ['a batch where one domain could not be judged', ['domain', 'shop.example', 'nozone.example', '--offline', ...shopZone], 3, /nozone\.example/],
    ['a domain judged from its zone', ['domain', 'shop.example', '--offline', ...shopZone], 0, null],
    ['a draft --offline with no zone (judged on the message alone, as asked)', ['eml', 'fixtures/drafts/clean-plain.eml', '--offline'], 0, null],
  ] as const)('%s', async (_name, args, status, reason) => {
    const r = await presend([...args, '--format', 'json']);
    expect(r.status, r.stderr).toBe(status);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.summary.exitStatus).toBe(status);
    const said = json.reports.map((rep) => rep.couldNotJudge).filter(Boolean).join(' ');
    if (reason) expect(said).toMatch(reason);
    else expect(said).toBe('');
  });

  it('something that fails the run still exits 1, could-not-judge or not', async () => {
    const r = await presend(['domain', 'shop.example', 'nozone.example', '--offline', ...shopZone, '--fail-on', 'warning', '--format', 'json']);
    expect(r.status).toBe(1);
  });

  it('text says it on the line under the verdict, in either language', async () => {
    const en = await presend(['domain', 'shop.example', '--offline']);
    expect(en.stdout.split('\n')[2]).toMatch(/^Could not judge: /);
    const zh = await presend(['domain', 'shop.example', '--offline', '--lang', 'zh']);
    expect(zh.stdout.split('\n')[2]).toMatch(/^无法判断：/);
  });
});

describe('--offline invents no fact', () => {
  it('a domain no zone covers: its DMARC is "could not check", never "publishes no DMARC record"', async () => {
    const r = await presend(['domain', 'nozone.example', '--offline', ...shopZone, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as Json).reports[0]!.findings;
    expect(findings.map((f) => f.rule)).toContain('dmarc-record-could-not-check');
    expect(findings.some((f) => /publishes no DMARC/i.test(f.message))).toBe(false);
  });

  it('nor of 163.com, named as the envelope sender, which no zone here covers', async () => {
    const r = await presend(['domain', 'shop.example', '--mail-from', 'me@163.com', '--offline', ...shopZone, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as Json).reports[0]!.findings;
    expect(findings.some((f) => /163\.com publishes no DMARC/i.test(f.message))).toBe(false);
  });

  it('the tree walk past a zone to a public suffix (_dmarc.example) is taken as NXDOMAIN, and said so', async () => {
    const all = readdirSync('fixtures/zones').flatMap((f) => ['--zone', `fixtures/zones/${f}`]);
    const r = await presend(['domain', 'newsletter.example', '--offline', ...all, '--format', 'json']);
    expect(r.stdout).toContain('_dmarc.example: taken as NXDOMAIN');
    const wire = await presend(['domain', 'newsletter.example', '--resolver', server.address, '--format', 'json']);
    // DNSSEC aside: it does not run offline, and over the wire the fixture server holds no root keys (test/cli/offline.test.ts).
    const rules = (out: string) => (JSON.parse(out) as Json).reports[0]!.findings.map((f) => f.rule).filter((rule) => !rule.startsWith('dnssec')).sort();
    expect(rules(r.stdout)).toEqual(rules(wire.stdout));
  });
});
