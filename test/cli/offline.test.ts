/**
 * What-if runs agree with the wire: every demo case, checked once through the loopback
 * DNS server serving the fixture zones and once with `--offline --zone` of the same
 * files, gives the same findings (rule, severity, code).
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

const zones = readdirSync('fixtures/zones')
  .filter((f) => f.endsWith('.zone'))
  .flatMap((f) => ['--zone', `fixtures/zones/${f}`]);

// The demo's domain and draft steps (scripts/demo.js).
const cases: string[][] = [
  ['domain', 'shop.example', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--dkim-selector', 's2024', 'old'],
  ['domain', 'shop.example', '--helo', '', '--mail-from', '<>'],
  ['eml', 'fixtures/drafts/clean-newsletter.eml', '--ip', '198.51.100.25', '--helo', 'mail.newsletter.example'],
  ['eml', 'fixtures/drafts/demo-campaign.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example'],
  ['eml', 'fixtures/drafts/account-app-alert.eml', '--account', 'ops@163.com'],
];

// DNSSEC is the one check the two runs cannot share: offline it does not run (zone files carry
// no signatures); over the wire the fixture server holds no root keys, so it could not check.
const isDnssec = (rule: string) => rule.startsWith('dnssec');
const findings = (stdout: string) =>
  (JSON.parse(stdout) as { reports: { findings: { rule: string; severity: string; code: string | null }[] }[] }).reports[0]!.findings.filter((f) => !isDnssec(f.rule)).map((f) => `${f.severity} ${f.rule} ${f.code ?? ''}`).sort();
const dnssecRules = (stdout: string) => (JSON.parse(stdout) as { reports: { findings: { rule: string }[] }[] }).reports[0]!.findings.filter((f) => isDnssec(f.rule)).map((f) => f.rule);

describe('offline with zones gives the verdict the wire gives', () => {
  it.each(cases.map((c) => [c.join(' '), c] as const))('%s', async (_name, args) => {
    const wire = await presend([...args, '--resolver', server.address, '--timeout', '2000', '--format', 'json']);
    const offline = await presend([...args, '--offline', ...zones, '--format', 'json']);
    expect(findings(offline.stdout)).toEqual(findings(wire.stdout));
    expect(offline.status).toBe(wire.status);
    expect(dnssecRules(offline.stdout)).toEqual([]);
    expect(dnssecRules(wire.stdout)).toEqual(args[0] === 'domain' ? ['dnssec-could-not-check'] : []);
  });
});
