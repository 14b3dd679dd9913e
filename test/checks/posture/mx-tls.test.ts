/**
 * `--mx-tls` against real STARTTLS servers (smtp-server) on 127.0.0.31–35:25, with
 * certificates from a test CA (--ca-file): a good one, none offered, a certificate for
 * another name, a self-signed one, and an MX nothing listens on (could not check, never
 * "no TLS"). Port 25 needs root (CI runs as root); elsewhere these cases are skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presend } from '../../helpers/cli.js';
import { makeTestPki, type TestPki } from '../../helpers/tls.js';

const asRoot = process.getuid?.() === 0;
const cases = {
  'goodtls.example': { address: '127.0.0.31', tls: 'named' },
  'plain.example': { address: '127.0.0.32', tls: 'none' },
  'wrongname.example': { address: '127.0.0.33', tls: 'wrong' },
  'selfsigned.example': { address: '127.0.0.34', tls: 'self' },
  'silent.example': { address: '127.0.0.35', tls: 'absent' },
  'expiring.example': { address: '127.0.0.36', tls: 'soon' },
} as const;

describe.skipIf(!asRoot)('STARTTLS on every MX (--mx-tls), real servers on port 25', () => {
  let pki: TestPki;
  /** A second CA whose certificate for mx.expiring.example ends in two days; both CAs go in one --ca-file. */
  let soon: TestPki;
  let caFile = '';
  const servers: SMTPServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'presend-mxtls-'));
  const zone = join(dir, 'mx.zone');

  beforeAll(async () => {
    pki = makeTestPki(Object.keys(cases).map((d) => `mx.${d}`));
    soon = makeTestPki(['mx.expiring.example'], 2);
    caFile = join(dir, 'cas.pem');
    writeFileSync(caFile, pki.ca + soon.ca);
    writeFileSync(zone, Object.entries(cases).map(([d, c]) => `$ORIGIN ${d}.\n@ 300 IN SOA ns.example. h.example. 1 3600 600 86400 300\n@ 300 IN MX 10 mx.${d}.\nmx 300 IN A ${c.address}\n`).join('\n'));
    for (const c of Object.values(cases)) {
      if (c.tls === 'absent') continue;
      const pair = c.tls === 'named' ? { cert: pki.namedCert!, key: pki.namedKey! } : c.tls === 'soon' ? { cert: soon.namedCert!, key: soon.namedKey! } : c.tls === 'wrong' ? { cert: pki.wrongNameCert, key: pki.wrongNameKey } : c.tls === 'self' ? { cert: pki.selfSignedCert, key: pki.selfSignedKey } : {};
      const server = new SMTPServer({ ...pair, secure: false, hideSTARTTLS: c.tls === 'none', disabledCommands: c.tls === 'none' ? ['STARTTLS', 'AUTH'] : ['AUTH'], logger: false });
      server.on('error', () => undefined);
      await new Promise<void>((resolve) => server.listen(25, c.address, () => resolve()));
      servers.push(server);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    pki?.remove();
    soon?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const mxTls = async (domain: string, extra: string[] = ['--ca-file']) => {
    const r = await presend(['domain', domain, '--offline', '--zone', zone, '--mx-tls', ...(extra.length ? [...extra, caFile] : []), '--format', 'json']);
    const report = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; severity: string; message: string }[]; checks: { check: string; status: string }[] }[] }).reports[0]!;
    return { findings: report.findings.filter((f) => f.rule.startsWith('mx-tls')).map((f) => [f.rule, f.severity]), checks: report.checks };
  };

  it.each([
    ['goodtls.example', []],
    ['plain.example', [['mx-tls-offered', 'warning']]],
    ['wrongname.example', [['mx-tls-certificate', 'warning']]],
    ['selfsigned.example', [['mx-tls-certificate', 'warning']]],
    ['silent.example', [['mx-tls-could-not-check', 'info']]],
    ['expiring.example', [['mx-tls-expiring', 'warning']]],
  ])('%s', async (domain, expected) => {
    expect((await mxTls(domain)).findings).toEqual(expected);
  });

  it('the test CA is trusted only through --ca-file', async () => {
    expect((await mxTls('goodtls.example', [])).findings).toEqual([['mx-tls-certificate', 'warning']]);
  });

  it('without --mx-tls no MX is connected to: the check is not part of the run', async () => {
    const r = await presend(['domain', 'plain.example', '--offline', '--zone', zone, '--format', 'json']);
    expect((JSON.parse(r.stdout) as { reports: { checks: { check: string }[] }[] }).reports[0]!.checks.map((c) => c.check)).not.toContain('mx-tls');
  });
});
