import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsblCheck } from '../../src/checks/dnsbl.js';
import { reversedLabels } from '../../src/dns/reverse.js';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { inputs, observe, summary } from '../helpers/checks.js';
import { clientFor, serveZones } from '../helpers/dns.js';

const v6 = '2001:db8::25';
const zones = [
  // a working list (RFC 5782 test points) that lists 203.0.113.5 and an IPv6 address
  `$ORIGIN good.bl.test.
2.0.0.127 A 127.0.0.2
5.113.0.203 A 127.0.0.3
5.113.0.203 TXT "listed: see https://good.bl.test/203.0.113.5"
${reversedLabels(v6)} A 127.0.0.2
`,
  // a list refusing this resolver: its test point answers the Spamhaus "public resolver" code
  `$ORIGIN zen.spamhaus.org.
2.0.0.127 A 127.255.255.254
5.113.0.203 A 127.255.255.254
`,
  // a list that answers everything (a wildcard): 127.0.0.1 is listed, so nothing it says counts
  `$ORIGIN wild.bl.test.
2.0.0.127 A 127.0.0.2
1.0.0.127 A 127.0.0.2
5.113.0.203 A 127.0.0.2
`,
  // a dead list: its test point is not listed
  `$ORIGIN dead.bl.test.
`,
  // a list that answers 127.0.0.1 for a real query
  `$ORIGIN one.bl.test.
2.0.0.127 A 127.0.0.2
5.113.0.203 A 127.0.0.1
`,
  `$ORIGIN dbl.spamhaus.org.
dbltest.com A 127.0.1.2
bad.example A 127.0.1.2
`,
];

let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZones(zones, { silent: (name) => name.endsWith('slow.bl.test') });
});
afterAll(() => server.close());

const run = (partial: Parameters<typeof inputs>[0], lists: string[]) => observe(dnsblCheck, inputs(partial), clientFor(server, 300), lists).then(summary);

describe('dnsbl', () => {
  const cases: [string, Parameters<typeof inputs>[0], string[], { kind: string; data: object }[]][] = [
    ['a listed IPv4 address, with the return code and the delisting page', { ip: '203.0.113.5' }, ['good.bl.test'], [
      { kind: 'listed', data: { listKind: 'ip', subject: '203.0.113.5', zone: 'good.bl.test', answer: '127.0.0.3', meaning: 'listed (return code 127.0.0.3)' } },
    ]],
    ['a clean address gives nothing', { ip: '198.51.100.1' }, ['good.bl.test'], []],
    ['IPv6: 32 reversed nibbles', { ip: v6 }, ['good.bl.test'], [{ kind: 'listed', data: { subject: v6 } }]],
    ['Spamhaus refusing a public resolver is "unusable", never "listed"', { ip: '203.0.113.5' }, ['zen.spamhaus.org'], [
      { kind: 'list-unusable', data: { zone: 'zen.spamhaus.org', reason: expect.stringContaining('public or open resolver') } },
    ]],
    ['a list that lists 127.0.0.1 means nothing', { ip: '203.0.113.5' }, ['wild.bl.test'], [
      { kind: 'list-unusable', data: { reason: expect.stringContaining('answers everything') } },
    ]],
    ['a list that does not list its test point is dead', { ip: '203.0.113.5' }, ['dead.bl.test'], [
      { kind: 'list-unusable', data: { reason: expect.stringContaining('does not list its RFC 5782 test point') } },
    ]],
    ['an answer of 127.0.0.1 is an error, not a listing', { ip: '203.0.113.5' }, ['one.bl.test'], [
      { kind: 'list-unusable', data: { reason: expect.stringContaining('127.0.0.1 is never a listing') } },
    ]],
    ['a list that never answers is "could not check"', { ip: '203.0.113.5' }, ['slow.bl.test'], [
      { kind: 'list-unusable', data: { reason: expect.stringContaining('did not answer') } },
    ]],
    ['a domain list asks about the envelope, From and HELO domains', { domain: 'bad.example', mailFrom: 'a@bad.example', from: 'a@ok.example', helo: 'mx.ok.example' }, ['dbl.spamhaus.org'], [
      { kind: 'listed', data: { listKind: 'domain', subject: 'bad.example', role: 'envelope', meaning: 'spam domain' } },
    ]],
  ];
  it.each(cases)('%s', async (_name, partial, lists, expected) => {
    const observed = await run(partial, lists);
    expect(observed).toHaveLength(expected.length);
    for (const e of expected) expect(observed).toContainEqual({ kind: e.kind, data: expect.objectContaining(e.data) });
  });

  it('asks every list at once: the whole check costs about one round trip', async () => {
    const slow = await serveZones(zones, { delayMs: 80 });
    try {
      const dns = clientFor(slow);
      const started = Date.now();
      await observe(dnsblCheck, inputs({ ip: '203.0.113.5', domain: 'bad.example', mailFrom: 'a@bad.example' }), dns, ['good.bl.test', 'zen.spamhaus.org', 'wild.bl.test', 'one.bl.test', 'dbl.spamhaus.org']);
      const network = dns.trace.filter((t) => t.source === 'network' && t.type === 'A');
      expect(network.length).toBeGreaterThanOrEqual(14);
      const firstAnswer = Math.min(...network.map((t) => t.startMs + t.ms));
      expect(network.every((t) => t.startMs < firstAnswer)).toBe(true);
      // two dependent steps at most (the answers, then TXT for what is listed), not fourteen
      expect(Date.now() - started).toBeLessThan(80 * 6);
    } finally {
      await slow.close();
    }
  });
});
