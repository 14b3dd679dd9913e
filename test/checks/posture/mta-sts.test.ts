/**
 * MTA-STS and TLS-RPT against real HTTPS on loopback: the zone points each policy host at
 * 127.0.0.21, where a server with certificates from a test CA (--ca-file) answers as each
 * case needs — a good policy, a redirect, the wrong type, a certificate for another name.
 * Port 443 needs root (CI runs as root); elsewhere these cases say so as skipped.
 */
import { createServer, type Server } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsRptProblem } from '../../../src/checks/tls-rpt.js';
import { presend } from '../../helpers/cli.js';
import { makeTestPki, type TestPki } from '../../helpers/tls.js';

const ADDRESS = '127.0.0.21';
const policy = (mode: string, mx: string[], maxAge = 604800) => `version: STSv1\nmode: ${mode}\n${mx.map((m) => `mx: ${m}`).join('\n')}\nmax_age: ${maxAge}\n`;

/** Each case: its MX, its DNS records beside the MX, and what its policy host answers. */
const cases: Record<string, { mx: string; records: string[]; serve?: { status: number; type?: string; body?: string; location?: string } }> = {
  'good.example': { mx: 'mx1.good.example', records: ['_mta-sts TXT "v=STSv1; id=20261207"', '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@good.example"'], serve: { status: 200, body: policy('enforce', ['*.good.example']) } },
  'uncovered.example': { mx: 'mail.elsewhere.example', records: ['_mta-sts TXT "v=STSv1; id=1"', '_smtp._tls TXT "v=TLSRPTv1; rua=https://reports.example/tls"'], serve: { status: 200, body: policy('enforce', ['mx1.uncovered.example']) } },
  'testing.example': { mx: 'mail.elsewhere.example', records: ['_mta-sts TXT "v=STSv1; id=1"'], serve: { status: 200, body: policy('testing', ['mx1.testing.example']) } },
  'redirect.example': { mx: 'mx1.redirect.example', records: ['_mta-sts TXT "v=STSv1; id=1"'], serve: { status: 301, location: 'https://www.redirect.example/mta-sts.txt' } },
  'html.example': { mx: 'mx1.html.example', records: ['_mta-sts TXT "v=STSv1; id=1"'], serve: { status: 200, type: 'text/html', body: policy('enforce', ['mx1.html.example']) } },
  'badcert.example': { mx: 'mx1.badcert.example', records: ['_mta-sts TXT "v=STSv1; id=1"'], serve: { status: 200, body: policy('enforce', ['mx1.badcert.example']) } },
  'twotxt.example': { mx: 'mx1.twotxt.example', records: ['_mta-sts TXT "v=STSv1; id=1"', '_mta-sts TXT "v=STSv1; id=2"'] },
  'badsyntax.example': { mx: 'mx1.badsyntax.example', records: ['_mta-sts TXT "v=STSv1; id=not-valid!"'] },
  'shortage.example': { mx: 'mx1.shortage.example', records: ['_mta-sts TXT "v=STSv1; id=1"', '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@shortage.example"'], serve: { status: 200, body: policy('enforce', ['mx1.shortage.example'], 300) } },
  'badrpt.example': { mx: 'mx1.badrpt.example', records: ['_smtp._tls TXT "v=TLSRPTv1; rua=http://reports.example/tls"'] },
  'remote.example': { mx: 'mx1.remote.example', records: ['_mta-sts TXT "v=STSv1; id=1"'] },
};

function zoneText(): string {
  return Object.entries(cases)
    .map(([domain, c]) => [`$ORIGIN ${domain}.`, '@ 300 IN SOA ns.example. host.example. 1 3600 600 86400 300', `@ 300 IN MX 10 ${c.mx}.`, ...c.records.map((r) => r.replace(/^(\S+) TXT/, '$1 300 IN TXT')), `mta-sts 300 IN A ${domain === 'remote.example' ? '192.0.2.1' : ADDRESS}`].join('\n'))
    .join('\n\n') + '\n';
}

const asRoot = process.getuid?.() === 0;

describe('TLS-RPT records', () => {
  it.each([
    ['v=TLSRPTv1; rua=mailto:tls@example.com', null],
    ['v=TLSRPTv1;rua=mailto:a@example.com,https://r.example/tls', null],
    ['v=TLSRPTv1; rua=http://r.example/tls', 'rua "http://r.example/tls" is neither a mailto: nor an https: address'],
    ['v=TLSRPTv1', 'it has no rua= field'],
    ['v=tlsrptv1; rua=mailto:a@example.com', 'it does not begin with v=TLSRPTv1'],
  ])('%s', (record, problem) => expect(tlsRptProblem(record)?.en ?? null).toBe(problem));
});

describe.skipIf(!asRoot)('MTA-STS and TLS-RPT over real HTTPS on 127.0.0.21:443', () => {
  let pki: TestPki;
  let server: Server;
  const dir = mkdtempSync(join(tmpdir(), 'presend-sts-'));
  const zone = join(dir, 'posture.zone');

  beforeAll(async () => {
    pki = makeTestPki(Object.keys(cases).map((d) => `mta-sts.${d}`));
    writeFileSync(zone, zoneText());
    const named = createSecureContext({ cert: pki.namedCert!, key: pki.namedKey! });
    const wrong = createSecureContext({ cert: pki.wrongNameCert, key: pki.wrongNameKey });
    server = createServer({ cert: pki.namedCert!, key: pki.namedKey!, SNICallback: (name, cb) => cb(null, name === 'mta-sts.badcert.example' ? wrong : named) }, (req, res) => {
      const domain = String(req.headers.host ?? '').replace(/^mta-sts\./, '');
      const serve = cases[domain]?.serve;
      if (!serve || req.url !== '/.well-known/mta-sts.txt') return void res.writeHead(404).end();
      res.writeHead(serve.status, { 'Content-Type': serve.type ?? 'text/plain', ...(serve.location ? { Location: serve.location } : {}) }).end(serve.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(443, ADDRESS, () => resolve()));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    pki?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const postureOf = async (domain: string) => {
    const r = await presend(['domain', domain, '--offline', '--zone', zone, '--ca-file', pki.caFile, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; severity: string; message: string }[] }[] }).reports[0]!.findings;
    return findings.filter((f) => /^(mta-sts|tls-rpt)/.test(f.rule) && f.rule !== 'could-not-check');
  };

  it.each([
    ['good.example', []],
    ['uncovered.example', [['mta-sts-mx-covered', 'error']]],
    ['testing.example', [['mta-sts-mx-covered-testing', 'warning']]],
    ['redirect.example', [['mta-sts-policy-available', 'warning']]],
    ['html.example', [['mta-sts-policy-available', 'warning']]],
    ['badcert.example', [['mta-sts-policy-available', 'warning']]],
    ['twotxt.example', [['mta-sts-record-valid', 'warning']]],
    ['badsyntax.example', [['mta-sts-record-valid', 'warning']]],
    ['shortage.example', [['mta-sts-policy-lifetime', 'info']]],
    ['badrpt.example', [['tls-rpt-record-valid', 'warning']]],
    ['remote.example', [['mta-sts-could-not-check', 'info']]],
  ])('%s', async (domain, expected) => {
    const found = await postureOf(domain);
    expect(found.filter((f) => f.severity !== 'info' || expected.some(([rule]) => rule === f.rule)).map((f) => [f.rule, f.severity])).toEqual(expected);
  });

  it('an enforced policy without TLS-RPT is a warning of its own', async () => {
    writeFileSync(zone, zoneText().replace('_smtp._tls 300 IN TXT "v=TLSRPTv1; rua=mailto:tls@good.example"', ''));
    expect((await postureOf('good.example')).map((f) => f.rule)).toEqual(['tls-rpt-beside-mta-sts']);
    writeFileSync(zone, zoneText());
  });

  it('without --ca-file the test CA is not trusted: the policy host does not verify', async () => {
    const r = await presend(['domain', 'good.example', '--offline', '--zone', zone, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; message: string }[] }[] }).reports[0]!.findings;
    expect(findings.find((f) => f.rule === 'mta-sts-policy-available')?.message).toMatch(/does not verify/);
  });
});
