/**
 * DANE (`--mx-tls`) against real STARTTLS servers on 127.0.0.51–53:25 and TLSA records in
 * signed test zones served over the wire (a test trust anchor): DANE-EE and DANE-TA that
 * match, a self-signed certificate a 3 1 1 record vouches for, a record that matches
 * nothing, PKIX-only records (unusable for SMTP), TLSA in an unsigned zone (ignored, and
 * said), a bogus TLSA answer, and an MX with TLSA but no STARTTLS. Port 25 needs root (CI
 * runs as root); elsewhere these cases are skipped.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZoneServer, type RunningZoneServer } from '../../../src/dns/zone-server.js';
import { ZoneSet } from '../../../src/dns/zone.js';
import { presend } from '../../helpers/cli.js';
import { SignedWorld, type ZoneSpec } from '../../helpers/signed-zones.js';
import { makeTestPki, type TestPki } from '../../helpers/tls.js';

const asRoot = process.getuid?.() === 0;
const spkiSha256 = (pem: string) => createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest();
const certSha256 = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest();

interface Finding {
  rule: string;
  severity: string;
  message: string;
  evidence: Record<string, unknown>;
}

describe.skipIf(!asRoot)('DANE on the MX hosts (--mx-tls), real servers on port 25', () => {
  let pki: TestPki;
  let dns: RunningZoneServer;
  const servers: SMTPServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'presend-dane-'));
  const anchor = join(dir, 'anchor.txt');

  beforeAll(async () => {
    const names = ['ee', 'ta', 'bad', 'pkix', 'plain', 'bogus', 'self'].map((d) => `mx.dane-${d}.test`);
    pki = makeTestPki(names);
    const tlsa = (usage: number, selector: number, certificate: Buffer) => ({ usage, selector, matchingType: 1, certificate });
    const zone = (d: string, address: string, record: ReturnType<typeof tlsa> | null, extra: Partial<ZoneSpec> = { algorithm: 13 }): ZoneSpec => ({
      origin: `dane-${d}.test`,
      ...extra,
      records: [
        [`dane-${d}.test`, 'MX', { preference: 10, exchange: `mx.dane-${d}.test` }],
        [`mx.dane-${d}.test`, 'A', address],
        ...(record ? ([[`_25._tcp.mx.dane-${d}.test`, 'TLSA', record]] as [string, string, unknown][]) : []),
      ],
    });
    const world = new SignedWorld([
      { origin: '.', algorithm: 13, records: [] },
      { origin: 'test', algorithm: 13, records: [] },
      zone('ee', '127.0.0.51', tlsa(3, 1, spkiSha256(pki.namedCert!))),
      zone('ta', '127.0.0.51', tlsa(2, 0, certSha256(pki.ca))),
      zone('bad', '127.0.0.51', tlsa(3, 1, Buffer.alloc(32, 7))),
      zone('pkix', '127.0.0.51', tlsa(1, 1, spkiSha256(pki.namedCert!))),
      zone('plain', '127.0.0.51', tlsa(3, 1, spkiSha256(pki.namedCert!)), {}),
      zone('bogus', '127.0.0.51', tlsa(3, 1, spkiSha256(pki.namedCert!)), { algorithm: 13, tamper: { name: '_25._tcp.mx.dane-bogus.test', type: 'TLSA', data: tlsa(3, 1, Buffer.alloc(32, 9)) } }),
      zone('notls', '127.0.0.52', tlsa(3, 1, spkiSha256(pki.namedCert!))),
      zone('self', '127.0.0.53', tlsa(3, 1, spkiSha256(pki.selfSignedCert))),
      zone('none', '127.0.0.51', null),
    ]);
    writeFileSync(anchor, world.trustAnchor());
    writeFileSync(join(dir, 'ca.pem'), pki.ca);
    dns = await startZoneServer({ zones: new ZoneSet([]), responder: world });
    // The named certificate is sent with the CA above it, as DANE-TA needs (RFC 7672 §3.1.2).
    const plans = [
      { address: '127.0.0.51', cert: pki.namedCert! + pki.ca, key: pki.namedKey!, starttls: true },
      { address: '127.0.0.52', cert: pki.namedCert!, key: pki.namedKey!, starttls: false },
      { address: '127.0.0.53', cert: pki.selfSignedCert, key: pki.selfSignedKey, starttls: true },
    ];
    for (const p of plans) {
      const server = new SMTPServer({ cert: p.cert, key: p.key, secure: false, hideSTARTTLS: !p.starttls, disabledCommands: p.starttls ? ['AUTH'] : ['STARTTLS', 'AUTH'], logger: false });
      server.on('error', () => undefined);
      await new Promise<void>((resolve) => server.listen(25, p.address, () => resolve()));
      servers.push(server);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await dns?.close();
    pki?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const dane = async (domain: string) => {
    const r = await presend(['domain', domain, '--resolver', dns.address, '--trust-anchor', anchor, '--mx-tls', '--ca-file', join(dir, 'ca.pem'), '--format', 'json']);
    const report = (JSON.parse(r.stdout) as { reports: { findings: Finding[]; checks: { check: string; status: string }[] }[] }).reports[0]!;
    return { findings: report.findings.filter((f) => f.rule.startsWith('dane')), check: report.checks.find((c) => c.check === 'dane') };
  };

  it.each([
    ['dane-ee.test', 'DANE-EE 3 1 1 naming the server’s key'],
    ['dane-ta.test', 'DANE-TA 2 0 1 naming the CA the server sends above its certificate'],
    ['dane-self.test', 'DANE-EE 3 1 1 vouching for a self-signed certificate'],
    ['dane-none.test', 'no TLSA records: DANE does not apply'],
  ])('%s — %s: no DANE finding, the check passes', async (domain) => {
    const { findings, check } = await dane(domain);
    expect(findings).toEqual([]);
    expect(check?.status).toBe('pass');
  });

  it('a 3 1 1 record that matches nothing: an error naming the record, with the key the MX presents', async () => {
    const { findings } = await dane('dane-bad.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dane-match', 'error']]);
    expect(findings[0]!.message).toMatch(/no TLSA record of _25\._tcp\.mx\.dane-bad\.test \(3 1 1 0707.*\) matches the certificate mx\.dane-bad\.test presents/);
    expect(findings[0]!.evidence.presented).toEqual([spkiSha256(pki.namedCert!).toString('hex'), expect.any(String)]);
  });

  it('PKIX-only records (usage 1): unusable for SMTP, a warning', async () => {
    const { findings } = await dane('dane-pkix.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dane-usable', 'warning']]);
  });

  it('TLSA records in an unsigned zone: ignored, and said so', async () => {
    const { findings } = await dane('dane-plain.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dane-ignored', 'info']]);
    expect(findings[0]!.message).toMatch(/its zone is not signed.*senders ignore them \(RFC 7672 §2\.2\)/);
  });

  it('a TLSA record changed after signing: bogus, an error', async () => {
    const { findings } = await dane('dane-bogus.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dane-match', 'error']]);
    expect(findings[0]!.evidence).toMatchObject({ brokenLink: 'TLSA _25._tcp.mx.dane-bogus.test' });
  });

  it('TLSA records and no STARTTLS: an error', async () => {
    const { findings } = await dane('dane-notls.test');
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['dane-match', 'error']]);
    expect(findings[0]!.message).toMatch(/publishes TLSA records but offers no STARTTLS/);
  });
});
