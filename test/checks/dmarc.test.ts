import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmarcCheck } from '../../src/checks/dmarc/index.js';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { inputs, observe, summary } from '../helpers/checks.js';
import { clientFor, serveZones } from '../helpers/dns.js';

const zones = [
  `$ORIGIN d.test.
@            TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc       TXT "v=DMARC1; p=reject; rua=mailto:agg@d.test"
sub          A   192.0.2.1
none         TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.none  TXT "v=DMARC1; p=none; pct=50; rua=mailto:agg@vendor.test; ruf=reports@d.test; adkim=x; foo=bar"
nodmarc      TXT "v=spf1 ip4:192.0.2.0/24 -all"
authorized   TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.authorized TXT "v=DMARC1; p=quarantine; rua=mailto:agg@vendor.test"
`,
  `$ORIGIN faults.test.
@            TXT "v=spf1 include:_spf.slow.test -all"
_dmarc       TXT "v=DMARC1; p=reject"
two          TXT "v=spf1 -all"
_dmarc.two   TXT "v=DMARC1; p=reject"
_dmarc.two   TXT "v=DMARC1; p=none"
badp         TXT "v=spf1 -all"
_dmarc.badp  TXT "v=DMARC1; p=rejct"
pct0         TXT "v=spf1 -all"
_dmarc.pct0  TXT "v=DMARC1; p=reject; pct=0"
`,
  `$ORIGIN np.test.
@            TXT "v=spf1 -all"
_dmarc       TXT "v=DMARC1; p=none; np=reject"
`,
  `$ORIGIN corp.test.
@                 TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc            TXT "v=DMARC1; p=reject; rua=mailto:agg@corp.test"
_dmarc.eu         TXT "v=DMARC1; p=Quarantine; rua=mailto:agg@corp.test"
mail.eu           TXT "v=spf1 ip4:192.0.2.0/24 -all"
badsp             TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.badsp      TXT "v=DMARC1; p=reject; sp=bogus; rua=mailto:agg@corp.test"
twice             TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.twice      TXT "v=DMARC1; p=none"
_dmarc.twice      TXT "v=DMARC1; p=quarantine"
`,
  `$ORIGIN me.uk.
_dmarc            TXT "v=DMARC1; p=reject"
a                 TXT "v=spf1 -all"
b                 TXT "v=spf1 ip4:192.0.2.0/24 -all"
`,
  `$ORIGIN vendor.test.
authorized.d.test._report._dmarc TXT "v=DMARC1"
`,
  `$ORIGIN other.test.
@            TXT "v=spf1 ip4:203.0.113.0/24 -all"
`,
];

let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZones(zones, { silent: (name) => name === '_dmarc.slow.test' || name === '_spf.slow.test' });
});
afterAll(() => server.close());

describe('dmarc', () => {
  const cases: [string, Partial<Parameters<typeof inputs>[0]>, { kind: string; data: object }[]][] = [
    ['SPF passes aligned under p=reject', { domain: 'd.test', mailFrom: 'a@d.test', ip: '192.0.2.5' }, [
      { kind: 'record', data: { status: 'found', location: '_dmarc.d.test', policy: 'reject' } },
      { kind: 'evaluation', data: { result: 'pass', policy: 'reject' } },
    ]],
    ['SPF fails under p=reject', { domain: 'd.test', mailFrom: 'a@d.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { result: 'fail', policy: 'reject', spfResult: 'fail' } },
    ]],
    ['SPF passes for another organization (not aligned)', { domain: 'other.test', mailFrom: 'b@other.test', from: 'a@d.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { result: 'fail', policy: 'reject', spfResult: 'pass', spfDomain: 'other.test' } },
    ]],
    ['a subdomain inherits the organizational policy (tree walk)', { domain: 'sub.d.test', mailFrom: 'a@sub.d.test', ip: '203.0.113.5' }, [
      { kind: 'record', data: { status: 'found', location: '_dmarc.d.test' } },
    ]],
    ['p=none is a warning-level failure, and the record is linted', { domain: 'none.d.test', mailFrom: 'a@none.d.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { result: 'fail', policy: 'none' } },
      { kind: 'lint', data: { level: 'info', problem: expect.stringContaining('p=none only monitors') } },
      { kind: 'lint', data: { level: 'info', problem: expect.stringContaining('pct=50') } },
      { kind: 'lint', data: { level: 'warning', problem: expect.stringContaining('adkim=x') } },
      { kind: 'lint', data: { level: 'warning', problem: expect.stringContaining('"reports@d.test" is not a mailto:') } },
      { kind: 'lint', data: { level: 'warning', problem: expect.stringContaining('unknown tag(s) foo') } },
      { kind: 'report-authorization', data: { reportDomain: 'vendor.test', authorized: false } },
    ]],
    ['no record of its own: the organizational one applies', { domain: 'nodmarc.d.test', mailFrom: 'a@nodmarc.d.test' }, [{ kind: 'record', data: { status: 'found', location: '_dmarc.d.test' } }]],
    ['an SPF lookup that timed out under p=reject is could-not-check, never a predicted reject', { domain: 'faults.test', mailFrom: 'a@faults.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { result: 'temperror', policy: 'reject', reason: expect.stringContaining('temperror') } },
    ]],
    ['two records are a broken record, not a missing one', { domain: 'two.faults.test', mailFrom: 'a@two.faults.test' }, [
      { kind: 'record', data: { status: 'broken', location: '_dmarc.two.faults.test', problem: expect.stringContaining('2 DMARC records') } },
    ]],
    ['an invalid p= without rua is a broken record', { domain: 'badp.faults.test', mailFrom: 'a@badp.faults.test' }, [
      { kind: 'record', data: { status: 'broken', problem: expect.stringContaining('p=rejct is not') } },
    ]],
    ['pct=0: RFC 7489 lowers reject to quarantine, RFC 9989 ignores pct', { domain: 'pct0.faults.test', mailFrom: 'a@pct0.faults.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { result: 'fail', policy: 'reject', policyRfc7489: 'quarantine' } },
    ]],
    ['np=reject applies to a non-existent subdomain under RFC 9989 only', { domain: 'gone.np.test', mailFrom: 'a@gone.np.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { result: 'fail', policy: 'reject', policyRfc7489: 'none' } },
    ]],
    ['a valid record met on the walk (_dmarc.eu.corp.test, from mail.eu.corp.test) is not "broken"; the organization\'s applies under both RFCs', { domain: 'mail.eu.corp.test', mailFrom: 'a@mail.eu.corp.test', ip: '203.0.113.5' }, [
      { kind: 'record', data: { status: 'found', location: '_dmarc.corp.test', policy: 'reject' } },
      { kind: 'evaluation', data: { result: 'fail', policy: 'reject', resultRfc7489: 'fail', policyRfc7489: 'reject' } },
    ]],
    ['p=reject with an invalid sp= and a rua is applied as p=none (RFC 7489 §6.6.3 step 6)', { domain: 'badsp.corp.test', mailFrom: 'a@badsp.corp.test', ip: '203.0.113.5' }, [
      { kind: 'evaluation', data: { resultRfc7489: 'fail', policyRfc7489: 'none' } },
    ]],
    ['two records at the From domain: RFC 7489 ends discovery (no DMARC), RFC 9989 walks on to the organization\'s p=reject', { domain: 'twice.corp.test', mailFrom: 'a@twice.corp.test', ip: '203.0.113.5' }, [
      { kind: 'record', data: { status: 'broken', location: '_dmarc.twice.corp.test', problem: expect.stringContaining('RFC 7489 receivers apply no DMARC') } },
      { kind: 'evaluation', data: { result: 'fail', policy: 'reject', resultRfc7489: 'none' } },
    ]],
    ['a record at a public suffix without psd=y aligns another domain of it under RFC 9989 only, and is said to', { domain: 'b.me.uk', mailFrom: 'x@b.me.uk', from: 'a@a.me.uk', ip: '192.0.2.5' }, [
      { kind: 'lint', data: { level: 'warning', problem: expect.stringContaining('me.uk, a public suffix, and has no psd=y') } },
      { kind: 'evaluation', data: { result: 'pass', resultRfc7489: 'none' } },
    ]],
    ['an authorized external report domain', { domain: 'authorized.d.test', mailFrom: 'a@authorized.d.test' }, [
      { kind: 'record', data: { status: 'found', policy: 'quarantine' } },
    ]],
  ];
  it.each(cases)('%s', async (_name, partial, expected) => {
    const observed = summary(await observe(dmarcCheck, inputs(partial), clientFor(server)));
    for (const e of expected) expect(observed).toContainEqual({ kind: e.kind, data: expect.objectContaining(e.data) });
    if (partial.domain === 'authorized.d.test') expect(observed.map((o) => o.kind)).not.toContain('report-authorization');
    if (!partial.ip) expect(observed.map((o) => o.kind)).not.toContain('evaluation');
    if (partial.domain === 'mail.eu.corp.test') expect(observed).not.toContainEqual({ kind: 'record', data: expect.objectContaining({ status: 'broken' }) });
  });

  it('a missing record is "none" only because every lookup answered', async () => {
    const observed = summary(await observe(dmarcCheck, inputs({ domain: 'news.other.test', mailFrom: 'a@news.other.test' }), clientFor(server)));
    expect(observed).toEqual([{ kind: 'record', data: expect.objectContaining({ status: 'none' }) }]);
  });

  it('a server that does not answer is "could not check"', async () => {
    const observed = summary(await observe(dmarcCheck, inputs({ domain: 'slow.test', mailFrom: 'a@slow.test' }), clientFor(server, 300)));
    expect(observed).toEqual([{ kind: 'record', data: expect.objectContaining({ status: 'could-not-check' }) }]);
  });
});
