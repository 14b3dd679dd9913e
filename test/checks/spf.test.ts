import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spfEvaluator } from '../../src/checks/mailauth.js';
import { spfEvaluation } from '../../src/checks/spf/evaluate.js';
import { spfRecord } from '../../src/checks/spf/record.js';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { DnsClient } from '../../src/dns/client.js';
import { ZoneSet, zoneFromText } from '../../src/dns/zone.js';
import { inputs, observe, summary } from '../helpers/checks.js';
import { clientFor, serveZones } from '../helpers/dns.js';

const ips = Array.from({ length: 40 }, (_, i) => `ip4:10.0.${i}.0/24`).join(' ');
const zone = `
$ORIGIN spf.test.
$TTL 300
@        TXT "v=spf1 ip4:192.0.2.0/24 include:_inc.spf.test -all"
_inc     TXT "v=spf1 ip4:198.51.100.0/24 ~all"
soft     TXT "v=spf1 ~all"
neutral  TXT "v=spf1 ?all"
nospf    TXT "google-site-verification=abc"
nospf    A   192.0.2.9
perm     TXT "v=spf1 ip4:1.2.3 -all"
two      TXT "v=spf1 -all"
two      TXT "v=spf1 +all"
loop     TXT "v=spf1 include:loop2.spf.test -all"
loop2    TXT "v=spf1 include:loop.spf.test -all"
wide     TXT "v=spf1 include:w1.spf.test include:w2.spf.test include:w3.spf.test include:w4.spf.test a mx -all"
w1       TXT "v=spf1 include:w1n.spf.test -all"
w1n      TXT "v=spf1 a -all"
w2       TXT "v=spf1 include:w2n.spf.test -all"
w2n      TXT "v=spf1 mx -all"
w3       TXT "v=spf1 a mx -all"
w4       TXT "v=spf1 ip4:203.0.113.0/24 exists:x.spf.test -all"
wide     A   192.0.2.50
wide     MX  10 wide.spf.test.
w1n      A   192.0.2.51
w2n      MX  10 w1n.spf.test.
w3       A   192.0.2.52
w3       MX  10 w1n.spf.test.
x        A   127.0.0.2
void     TXT "v=spf1 a:nx1.spf.test a:nx2.spf.test mx:nx3.spf.test -all"
ptrmech  TXT "v=spf1 ptr:spf.test -all"
passall  TXT "v=spf1 +all"
noall    TXT "v=spf1 ip4:192.0.2.1"
redir    TXT "v=spf1 redirect=_inc.spf.test -all"
longrec  TXT "v=spf1 ${ips} -all"
typo     TXT "v=spf1 ip4:192.0.2.1 incldue:_inc.spf.test -all"
missinc  TXT "v=spf1 include:gone.spf.test -all"
slowinc  TXT "v=spf1 include:slow.spf.test -all"
rrtype   TXT "v=spf1 -all"
rrtype   SPF "v=spf1 -all"
`;

let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZones([zone], { silent: (name) => name === 'slow.spf.test' || name === 'slow2.spf.test' });
  // mailauth is loaded before the first case: loading it blocks this process — where the zone
  // server answers too — for long enough on a loaded machine to time out a 400 ms question.
  await spfEvaluator();
});
afterAll(() => server.close());

describe('spf (evaluation through mailauth, over the wire)', () => {
  const cases: [string, string, string, string][] = [
    ['authorized directly', 'news@spf.test', '192.0.2.7', 'pass'],
    ['authorized through an include', 'news@spf.test', '198.51.100.7', 'pass'],
    ['not authorized', 'news@spf.test', '203.0.113.5', 'fail'],
    ['softfail', 'news@soft.spf.test', '203.0.113.5', 'softfail'],
    ['neutral', 'news@neutral.spf.test', '203.0.113.5', 'neutral'],
    ['no SPF record', 'news@nospf.spf.test', '203.0.113.5', 'none'],
    ['a broken record', 'news@perm.spf.test', '203.0.113.5', 'permerror'],
    ['two records', 'news@two.spf.test', '203.0.113.5', 'permerror'],
    ['an include loop', 'news@loop.spf.test', '203.0.113.5', 'permerror'],
    ['an IPv6 sender under an IPv4-only record', 'news@spf.test', '2001:db8::1', 'fail'],
    ['a server that never answers', 'news@slow2.spf.test', '203.0.113.5', 'temperror'],
  ];
  it.each(cases)('%s → %s', async (_name, mailFrom, ip, result) => {
    const observations = await observe(spfEvaluation, inputs({ domain: mailFrom.split('@')[1], mailFrom, ip, helo: 'mail.spf.test' }), clientFor(server, 400));
    expect(observations).toHaveLength(1);
    expect(observations[0]!.data).toMatchObject({ result, ip, identity: 'mailfrom' });
    expect(observations[0]!.evidence).toHaveProperty('comment');
  });

  it('checks the HELO identity for a null sender', async () => {
    const [o] = await observe(spfEvaluation, inputs({ domain: 'spf.test', mailFrom: '', ip: '192.0.2.7', helo: 'spf.test' }), clientFor(server));
    expect(o!.data).toMatchObject({ result: 'pass', identity: 'helo', domain: 'spf.test' });
  });

  it('is skipped without an IP', () => {
    expect(spfEvaluation.skipReason(inputs())).toBe('needs --ip');
  });
});

describe('spf-record (the record itself)', () => {
  const kindsOf = async (domain: string, timeoutMs = 1500) => summary(await observe(spfRecord, inputs({ domain }), clientFor(server, timeoutMs)));
  const cases: [string, string, { kind: string; data: object }[]][] = [
    ['a good record', 'spf.test', [
      { kind: 'record-count', data: { count: 1, status: 'answered' } },
      { kind: 'lookups', data: { count: 1, breakdown: 'include:_inc.spf.test=1' } },
      { kind: 'void-lookups', data: { count: 0 } },
      { kind: 'all', data: { qualifier: '-' } },
    ]],
    ['no SPF among the TXT records', 'nospf.spf.test', [{ kind: 'record-count', data: { count: 0, status: 'answered' } }]],
    ['two records', 'two.spf.test', [{ kind: 'record-count', data: { count: 2 } }]],
    ['a syntax error names the term', 'typo.spf.test', [{ kind: 'syntax', data: { valid: false, term: 'incldue:_inc.spf.test', reason: 'unknown mechanism' } }]],
    ['a bad ip4', 'perm.spf.test', [{ kind: 'syntax', data: { valid: false, term: 'ip4:1.2.3' } }]],
    ['the 10-lookup limit, per include', 'wide.spf.test', [
      { kind: 'lookups', data: { count: 13, breakdown: 'include:w1.spf.test=3, include:w2.spf.test=3, include:w3.spf.test=3, include:w4.spf.test=2, a=1, mx=1' } },
    ]],
    ['void lookups', 'void.spf.test', [{ kind: 'void-lookups', data: { count: 3 } }]],
    ['an include loop', 'loop.spf.test', [{ kind: 'include-loop', data: { path: 'loop.spf.test → loop2.spf.test → loop.spf.test' } }]],
    ['ptr', 'ptrmech.spf.test', [{ kind: 'ptr-mechanism', data: { term: 'ptr:spf.test' } }]],
    ['+all', 'passall.spf.test', [{ kind: 'all', data: { qualifier: '+' } }]],
    ['?all', 'neutral.spf.test', [{ kind: 'all', data: { qualifier: '?' } }]],
    ['no all, no redirect', 'noall.spf.test', [{ kind: 'all', data: { qualifier: 'none' } }]],
    ['redirect beside all', 'redir.spf.test', [{ kind: 'redirect-with-all', data: {} }]],
    ['a record over 450 bytes', 'longrec.spf.test', [{ kind: 'long-record', data: {} }]],
    ['an include with no such domain', 'missinc.spf.test', [{ kind: 'include-target', data: { target: 'gone.spf.test', status: 'nxdomain' } }]],
    ['an include whose server never answers', 'slowinc.spf.test', [{ kind: 'include-target', data: { target: 'slow.spf.test', status: 'could-not-check' } }]],
    ['the obsolete SPF RR type', 'rrtype.spf.test', [{ kind: 'spf-rr-type', data: {} }]],
  ];
  it.each(cases)('%s', async (_name, domain, expected) => {
    const observed = await kindsOf(domain, 400);
    for (const e of expected) expect(observed).toContainEqual({ kind: e.kind, data: expect.objectContaining(e.data) });
  });

  it('reports a string over 255 bytes in a --zone draft (the wire splits such strings, so only a zone can hold one)', async () => {
    const long = `v=spf1 ${Array.from({ length: 20 }, (_, i) => `ip4:10.1.${i}.0/24`).join(' ')} -all`;
    const text = `$ORIGIN draft.test.\n@ TXT "${long}"\n`;
    const local = new DnsClient({ servers: [server.address], timeoutMs: 500, tries: 1, zones: new ZoneSet([zoneFromText(text, 'draft.zone')]), offline: true, budget: 50 });
    expect(summary(await observe(spfRecord, inputs({ domain: 'draft.test' }), local))).toContainEqual({ kind: 'long-string', data: expect.objectContaining({ bytes: Buffer.byteLength(long) }) });
    const served = await serveZones([text]);
    try {
      const overWire = summary(await observe(spfRecord, inputs({ domain: 'draft.test' }), clientFor(served)));
      expect(overWire.map((o) => o.kind)).not.toContain('long-string');
      expect(overWire).toContainEqual({ kind: 'lookups', data: expect.objectContaining({ count: 0 }) });
    } finally {
      await served.close();
    }
  });

  it('says "could not check", never "missing", when the server does not answer', async () => {
    const started = Date.now();
    const observed = await kindsOf('slow.spf.test', 300);
    expect(observed).toEqual([{ kind: 'record-count', data: expect.objectContaining({ status: 'could-not-check' }) }]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('walks the include tree level by level: sibling includes overlap in time', async () => {
    const slow = await serveZones([zone], { delayMs: 60 });
    try {
      const dns = clientFor(slow);
      await observe(spfRecord, inputs({ domain: 'wide.spf.test' }), dns);
      const includes = dns.trace.filter((t) => /^w[1-4]\.spf\.test$/.test(t.name) && t.type === 'TXT' && t.source === 'network');
      expect(includes).toHaveLength(4);
      const firstEnd = Math.min(...includes.map((t) => t.startMs + t.ms));
      // all four were sent before the first one came back
      expect(includes.every((t) => t.startMs < firstEnd)).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
