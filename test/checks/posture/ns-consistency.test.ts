/**
 * Every nameserver asked directly: two zone servers on 127.0.0.41:53 and 127.0.0.42:53
 * serve the same domain, one with an old SPF record; the --zone file names them as the
 * domain's NS. Port 53 needs root (CI runs as root); elsewhere these cases are skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZoneServer, type RunningZoneServer } from '../../../src/dns/zone-server.js';
import { ZoneSet, zoneFromText } from '../../../src/dns/zone.js';
import { presend } from '../../helpers/cli.js';

const asRoot = process.getuid?.() === 0;
const served = (spf: string, dmarc: string) => `$ORIGIN split.example.\n@ 3600 IN SOA ns1.split.example. h.split.example. 1 3600 600 86400 300\n@ 3600 IN NS ns1.split.example.\n@ 3600 IN NS ns2.split.example.\n@ 1800 IN TXT "${spf}"\n_dmarc 300 IN TXT "${dmarc}"\n`;

describe.skipIf(!asRoot)('nameservers compared (127.0.0.41:53 and 127.0.0.42:53)', () => {
  const servers: RunningZoneServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'presend-ns-'));
  const zone = join(dir, 'split.zone');

  beforeAll(async () => {
    servers.push(await startZoneServer({ zones: new ZoneSet([zoneFromText(served('v=spf1 ip4:203.0.113.0/24 -all', 'v=DMARC1; p=reject'), 'ns1')]), port: 53 }, '127.0.0.41'));
    servers.push(await startZoneServer({ zones: new ZoneSet([zoneFromText(served('v=spf1 ip4:198.51.100.0/24 -all', 'v=DMARC1; p=reject'), 'ns2')]), port: 53 }, '127.0.0.42'));
    writeFileSync(zone, `${served('v=spf1 ip4:203.0.113.0/24 -all', 'v=DMARC1; p=reject')}ns1 3600 IN A 127.0.0.41\nns2 3600 IN A 127.0.0.42\n`);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  // The project's zone server serves every record with a TTL of 300 s, whatever the zone file says.
  it('an SPF record one nameserver still serves in its old form is a warning naming both answers and the largest TTL', async () => {
    const r = await presend(['domain', 'split.example', '--offline', '--zone', zone, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; severity: string; message: string }[] }[] }).reports[0]!.findings.filter((f) => f.rule.startsWith('ns-'));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['ns-consistent', 'warning']]);
    expect(findings[0]!.message).toMatch(/TXT split\.example differently \(ns1\.split\.example: v=spf1 ip4:203\.0\.113\.0\/24 -all; ns2\.split\.example: v=spf1 ip4:198\.51\.100\.0\/24 -all\).*up to 300 s \(the largest TTL served\)/);
  });

  it('nameservers that agree: nothing to say', async () => {
    writeFileSync(zone, `${served('v=spf1 ip4:198.51.100.0/24 -all', 'v=DMARC1; p=reject').replace('@ 1800 IN TXT "v=spf1 ip4:198.51.100.0/24 -all"\n', '')}ns1 3600 IN A 127.0.0.41\nns2 3600 IN A 127.0.0.42\n`);
    const r = await presend(['domain', 'split.example', '--offline', '--zone', zone, '--format', 'json', '--dkim-selector', 'none']);
    const findings = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; message: string }[] }[] }).reports[0]!.findings.filter((f) => f.rule.startsWith('ns-'));
    // The SPF answers still differ between the two servers; DMARC, MTA-STS, TLS-RPT, BIMI and the DKIM key agree.
    expect(findings.map((f) => f.message.match(/TXT (\S+) differently/)?.[1])).toEqual(['split.example']);
  });

  it('under --offline a nameserver off loopback is not asked: could not check', async () => {
    writeFileSync(zone, `${served('v=spf1 -all', 'v=DMARC1; p=none')}ns1 3600 IN A 127.0.0.41\nns2 3600 IN A 192.0.2.53\n`);
    const r = await presend(['domain', 'split.example', '--offline', '--zone', zone, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; severity: string }[] }[] }).reports[0]!.findings.filter((f) => f.rule.startsWith('ns-'));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['ns-could-not-check', 'info']]);
  });
});
