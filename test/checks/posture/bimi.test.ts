/**
 * BIMI: records and SVG Tiny P/S checked as tables, and the whole check against a real
 * HTTPS logo host on 127.0.0.22:443 (a test CA, --ca-file) with DMARC from the zone.
 * Port 443 needs root (CI runs as root); elsewhere the end-to-end cases are skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBimi, svgTinyPsProblems } from '../../../src/checks/bimi.js';
import { presend } from '../../helpers/cli.js';
import { makeTestPki, type TestPki } from '../../helpers/tls.js';
import { makeTestVmcs, type TestVmcs } from '../../helpers/vmc.js';

const GOOD_SVG = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100"><title>Shop</title><circle cx="50" cy="50" r="40" fill="#c00"/></svg>';

describe('BIMI records and logos, read', () => {
  it.each([
    ['v=BIMI1; l=https://shop.example/logo.svg', { l: 'https://shop.example/logo.svg' }],
    ['v=BIMI1; l=https://shop.example/logo.svg; a=https://shop.example/vmc.pem', { l: 'https://shop.example/logo.svg', a: 'https://shop.example/vmc.pem' }],
    ['v=BIMI1; l=;', {}],
    ['v=BIMI1; l=http://shop.example/logo.svg', 'l= must be an https: URL (http://shop.example/logo.svg)'],
    ['v=bimi1; l=https://x.example/l.svg', 'it does not begin with v=BIMI1'],
  ])('%s', (record, expected) => expect(parseBimi(record)).toEqual(expected));

  it.each([
    ['SVG Tiny P/S', GOOD_SVG, []],
    ['plain SVG 1.1', '<svg xmlns="http://www.w3.org/2000/svg" version="1.1"><title>x</title></svg>', ['the root <svg> is not version="1.2"', 'the root <svg> is not baseProfile="tiny-ps"']],
    ['a script', GOOD_SVG.replace('</svg>', '<script>alert(1)</script></svg>'), ['it has <script> or <foreignObject>']],
    ['an onload handler', GOOD_SVG.replace('<circle', '<circle onload="x()"'), ['it has event handler attributes (on…)']],
    ['an external reference', GOOD_SVG.replace('<circle', '<use href="https://evil.example/x.svg#a"/><circle'), ['it refers to something outside itself (href)']],
    ['no title', GOOD_SVG.replace('<title>Shop</title>', ''), ['it has no <title>']],
    ['not XML', '<svg', ['not well-formed XML']],
  ])('%s', (_name, svg, expected) => {
    const problems = svgTinyPsProblems(svg);
    if (expected.length === 1 && expected[0]!.startsWith('not well-formed')) expect(problems[0]).toMatch(/^not well-formed XML/);
    else expect(problems).toEqual(expected);
  });
});

const asRoot = process.getuid?.() === 0;
const ADDRESS = '127.0.0.22';
const logos: Record<string, { type: string; body: string }> = {
  '/good.svg': { type: 'image/svg+xml', body: GOOD_SVG },
  '/script.svg': { type: 'image/svg+xml', body: GOOD_SVG.replace('</svg>', '<script>alert(1)</script></svg>') },
};
const domains: Record<string, string[]> = {
  'bimi-good.example': ['default._bimi TXT "v=BIMI1; l=https://logo.bimi-good.example/good.svg"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'bimi-script.example': ['default._bimi TXT "v=BIMI1; l=https://logo.bimi-script.example/script.svg"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'bimi-none.example': ['default._bimi TXT "v=BIMI1; l=https://logo.bimi-none.example/good.svg"', '_dmarc TXT "v=DMARC1; p=none"'],
  'bimi-missing.example': ['default._bimi TXT "v=BIMI1; l=https://logo.bimi-missing.example/nothing.svg"', '_dmarc TXT "v=DMARC1; p=quarantine"'],
  'bimi-partial.example': ['default._bimi TXT "v=BIMI1; l=https://logo.bimi-partial.example/good.svg"', '_dmarc TXT "v=DMARC1; p=quarantine; pct=50"'],
  'bimi-bad.example': ['default._bimi TXT "v=BIMI1; l=http://logo.bimi-bad.example/good.svg"', '_dmarc TXT "v=DMARC1; p=reject"'],
  // With a mark certificate (a=): issued for these domains by a test BIMI root given in --ca-file.
  'vmc-good.example': ['default._bimi TXT "v=BIMI1; l=https://logo.vmc-good.example/good.svg; a=https://logo.vmc-good.example/good.pem"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'vmc-other.example': ['default._bimi TXT "v=BIMI1; l=https://logo.vmc-other.example/good.svg; a=https://logo.vmc-other.example/otherDomain.pem"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'vmc-nobimi.example': ['default._bimi TXT "v=BIMI1; l=https://logo.vmc-nobimi.example/good.svg; a=https://logo.vmc-nobimi.example/noBimiUsage.pem"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'vmc-forged.example': ['default._bimi TXT "v=BIMI1; l=https://logo.vmc-forged.example/good.svg; a=https://logo.vmc-forged.example/forged.pem"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'vmc-logo.example': ['default._bimi TXT "v=BIMI1; l=https://logo.vmc-logo.example/other.svg; a=https://logo.vmc-logo.example/good.pem"', '_dmarc TXT "v=DMARC1; p=reject"'],
  'vmc-missing.example': ['default._bimi TXT "v=BIMI1; l=https://logo.vmc-missing.example/good.svg; a=https://logo.vmc-missing.example/none.pem"', '_dmarc TXT "v=DMARC1; p=reject"'],
};
const VMC_DOMAINS = ['vmc-good.example', 'vmc-nobimi.example', 'vmc-forged.example', 'vmc-logo.example', 'vmc-missing.example'];

describe.skipIf(!asRoot)('BIMI end to end: HTTPS logo host on 127.0.0.22:443', () => {
  let pki: TestPki;
  let vmcs: TestVmcs;
  let server: Server;
  const caFile = join(mkdtempSync(join(tmpdir(), 'presend-bimi-ca-')), 'cas.pem');
  const dir = mkdtempSync(join(tmpdir(), 'presend-bimi-'));
  const zone = join(dir, 'bimi.zone');
  beforeAll(async () => {
    pki = makeTestPki(Object.keys(domains).map((d) => `logo.${d}`));
    vmcs = makeTestVmcs(VMC_DOMAINS, GOOD_SVG);
    for (const [name, pem] of Object.entries(vmcs.bundles)) logos[`/${name}.pem`] = { type: 'application/x-pem-file', body: pem };
    logos['/other.svg'] = { type: 'image/svg+xml', body: GOOD_SVG.replace('#c00', '#00c') };
    writeFileSync(caFile, pki.ca + vmcs.root);
    writeFileSync(zone, Object.entries(domains).map(([d, records]) => [`$ORIGIN ${d}.`, '@ 300 IN SOA ns.example. h.example. 1 3600 600 86400 300', '@ 300 IN MX 10 mx.example.', ...records.map((r) => r.replace(' TXT ', ' 300 IN TXT ')), `logo 300 IN A ${ADDRESS}`].join('\n')).join('\n\n') + '\n');
    server = createServer({ cert: pki.namedCert!, key: pki.namedKey! }, (req, res) => {
      const logo = logos[req.url ?? ''];
      if (!logo) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': logo.type }).end(logo.body);
    });
    await new Promise<void>((resolve) => server.listen(443, ADDRESS, () => resolve()));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    pki?.remove();
    vmcs?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['bimi-good.example', []],
    ['bimi-script.example', [['bimi-logo-valid', 'warning']]],
    ['bimi-none.example', [['bimi-dmarc-enforced', 'warning']]],
    ['bimi-missing.example', [['bimi-logo-valid', 'warning']]],
    ['bimi-bad.example', [['bimi-record-valid', 'warning']]],
    ['bimi-partial.example', [['bimi-dmarc-enforced', 'warning']]],
    ['vmc-good.example', []],
    ['vmc-other.example', [['bimi-vmc-valid', 'warning']], /issued for other\.example, not vmc-other\.example/],
    ['vmc-nobimi.example', [['bimi-vmc-valid', 'warning']], /BIMI_EXT_KEY_MISSING/],
    ['vmc-forged.example', [['bimi-vmc-valid', 'warning']], /does not verify/],
    ['vmc-logo.example', [['bimi-vmc-valid', 'warning']], /the logo l= serves is not the one in the certificate/],
    ['vmc-missing.example', [['bimi-vmc-valid', 'warning']], /none\.pem answered HTTP 404/],
  ] as [string, string[][], RegExp?][])('%s', async (domain, expected, why) => {
    const r = await presend(['domain', domain, '--offline', '--zone', zone, '--ca-file', caFile, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { reports: { findings: { rule: string; severity: string; message: string }[] }[] }).reports[0]!.findings.filter((f) => f.rule.startsWith('bimi'));
    expect(findings.map((f) => [f.rule, f.severity])).toEqual(expected);
    if (why) expect(findings[0]!.message).toMatch(why);
  });
});

