/**
 * The dnssec check of `presend domain` through the CLI, against the signed test zones
 * served over the wire (test/dnssec/world.ts) with the test root's trust anchor: a secure
 * domain says nothing, an unsigned delegation is advice, a broken chain a warning naming
 * its link, a resolver that strips DNSSEC "could not check", and --offline with zone
 * files only does not run it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZoneServer, type RunningZoneServer } from '../../../src/dns/zone-server.js';
import { ZoneSet, zoneFromText } from '../../../src/dns/zone.js';
import { presend } from '../../helpers/cli.js';
import { signedWorld } from '../../dnssec/world.js';

interface Finding {
  rule: string;
  severity: string;
  message: string;
  evidence: Record<string, unknown>;
}
interface Json {
  reports: { findings: Finding[]; checks: { check: string; status: string; reason?: string }[] }[];
}

describe('dnssec (signed zones over the wire, a test trust anchor)', () => {
  let server: RunningZoneServer;
  let plain: RunningZoneServer;
  const dir = mkdtempSync(join(tmpdir(), 'presend-dnssec-'));
  const anchor = join(dir, 'anchor.txt');

  beforeAll(async () => {
    const world = signedWorld();
    writeFileSync(anchor, `; the test root's key-signing key\n${world.trustAnchor()}`);
    server = await startZoneServer({ zones: new ZoneSet([]), responder: world });
    // A resolver that answers but strips every DNSSEC record.
    plain = await startZoneServer({ zones: new ZoneSet([zoneFromText('$ORIGIN strip.example.\n@ IN TXT "v=spf1 -all"\n', 'strip')]) });
  });
  afterAll(async () => {
    await server?.close();
    await plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const dnssec = async (domain: string, resolver = server.address, extra: string[] = ['--trust-anchor', anchor]) => {
    const r = await presend(['domain', domain, '--resolver', resolver, ...extra, '--format', 'json']);
    const report = (JSON.parse(r.stdout) as Json).reports[0]!;
    return { findings: report.findings.filter((f) => f.rule.startsWith('dnssec')), check: report.checks.find((c) => c.check === 'dnssec') };
  };

  it('a signed domain whose SPF, DMARC and MX validate: no finding, the check passes', async () => {
    const { findings, check } = await dnssec('secure.test');
    expect(findings).toEqual([]);
    expect(check?.status).toBe('pass');
  });

  it('an unsigned delegation: advice naming where the chain stops', async () => {
    const { findings } = await dnssec('plain.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dnssec-insecure', 'info']]);
    expect(findings[0]!.message).toMatch(/plain\.test is delegated from test without a DS record/);
  });

  it('an SPF record changed after signing: a warning with the broken link, DMARC and MX still secure', async () => {
    const { findings } = await dnssec('tampered.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dnssec-bogus', 'warning']]);
    expect(findings[0]!.message).toMatch(/the SPF answers are bogus — the TXT records of tampered\.test do not verify/);
    expect(findings[0]!.evidence).toMatchObject({ brokenLink: 'TXT tampered.test' });
  });

  it('a DS at the parent naming another key: every answer bogus, said once', async () => {
    const { findings } = await dnssec('wrongds.test');
    expect(findings.map((f) => f.rule)).toEqual(['dnssec-bogus']);
    expect(findings[0]!.message).toMatch(/the SPF, DMARC, MX answers are bogus — no DNSKEY of wrongds\.test matches its DS records/);
  });

  it('the IANA root anchor against the private root: bogus at the root’s DNSKEY', async () => {
    const { findings } = await dnssec('secure.test', server.address, []);
    expect(findings[0]?.evidence).toMatchObject({ brokenLink: 'DNSKEY .' });
  });

  it('a resolver that strips DNSSEC records: could not check, never bogus', async () => {
    const { findings } = await dnssec('strip.example', plain.address);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dnssec-could-not-check', 'info']]);
    expect(findings[0]!.message).toMatch(/does not pass DNSSEC records through/);
  });

  it('--offline with zone files only: not run, and why', async () => {
    const zone = join(dir, 'strip.zone');
    writeFileSync(zone, '$ORIGIN strip.example.\n@ IN TXT "v=spf1 -all"\n');
    const r = await presend(['domain', 'strip.example', '--offline', '--zone', zone, '--format', 'json']);
    const check = (JSON.parse(r.stdout) as Json).reports[0]!.checks.find((c) => c.check === 'dnssec');
    expect(check).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/validated over the wire: --offline asks only a --resolver on loopback/) });
  });

  it('a trust-anchor file that is not DS records: one clear error line, exit 2', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '. IN DNSKEY 257 3 8 AwEAAa\n');
    const r = await presend(['domain', 'secure.test', '--resolver', server.address, '--trust-anchor', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--trust-anchor .*bad\.txt:1: expected a DS record/);
  });
});
