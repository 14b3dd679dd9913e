/**
 * The warm-up of a single domain check: each question it asks before the checks load is
 * one a check asks too (a later hit in the same client's cache), and the run asks the
 * network exactly what it would have asked without it — over the wire, for the input
 * shapes a user gives (an IP and HELO, another envelope domain, the null sender, no IP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { domainInputs, type EnvelopeOptions } from '../../src/engine/inputs.js';
import { warmedUpClient, warmUpQuestions } from '../../src/engine/resolver.js';
import { checkTarget, createSession, type SessionOptions } from '../../src/engine/session.js';
import type { Report } from '../../src/engine/types.js';
import { serveZones } from '../helpers/dns.js';

const world = [
  `$ORIGIN shop.example.
@       TXT "v=spf1 mx include:_spf.mailer.example -all"
@       MX  10 mx
mx      A   203.0.113.5
mail    A   203.0.113.5
_dmarc  TXT "v=DMARC1; p=reject; rua=mailto:d@shop.example"
bounce  TXT "v=spf1 ip4:203.0.113.0/24 -all"
`,
  `$ORIGIN mailer.example.
_spf    TXT "v=spf1 ip4:198.51.100.0/24 -all"
`,
  `$ORIGIN 113.0.203.in-addr.arpa.
5 PTR mail.shop.example.
`,
];

let server: RunningZoneServer;
let options: SessionOptions;
beforeAll(async () => {
  server = await serveZones(world);
  options = { lang: 'en', servers: [server.address], timeoutMs: 1500, zoneFiles: [], offline: false, dnsbl: [] };
});
afterAll(() => server.close());

const asked = (report: Report, source: string) => report.dns.trace.filter((t) => t.source === source).map((t) => `${t.type} ${t.name}`);

describe('the warm-up asks only what the checks ask, and nothing more goes to the network', () => {
  it.each([
    ['an IP and a HELO', { ip: '203.0.113.5', helo: 'mail.shop.example' }],
    ['another envelope domain than the From', { ip: '203.0.113.5', mailFrom: 'x@bounce.shop.example', from: 'news@shop.example' }],
    ['the null sender', { ip: '203.0.113.5', helo: 'mail.shop.example', mailFrom: '' }],
    ['no IP', {}],
  ] as [string, EnvelopeOptions][])('%s', async (_n, envelope) => {
    const inputs = domainInputs('shop.example', envelope);
    const session = createSession(options);
    const warm = await warmedUpClient(options, inputs);
    expect(warm).toBeDefined();
    const warmed = await checkTarget(session, inputs, warm);
    const cold = await checkTarget(createSession(options), inputs);
    const questions = warmUpQuestions(inputs).map(([name, type]) => `${type} ${name}`);
    expect(questions.length).toBeGreaterThan(0);
    // Each warm-up question went out once and a check asked it again (answered from the client's cache).
    for (const q of questions) {
      expect(asked(warmed, 'network').filter((n) => n === q), q).toHaveLength(1);
      expect(asked(warmed, 'cache'), q).toContain(q);
    }
    expect(asked(warmed, 'network').sort()).toEqual(asked(cold, 'network').sort());
    expect(warmed.findings.map((f) => f.rule)).toEqual(cold.findings.map((f) => f.rule));
  });

  it('does not warm up offline or when zone files answer some names', async () => {
    const inputs = domainInputs('shop.example', { ip: '203.0.113.5' });
    expect(await warmedUpClient({ ...options, offline: true }, inputs)).toBeUndefined();
    expect(await warmedUpClient({ ...options, zoneFiles: ['fixtures/zones/shop.example.zone'] }, inputs)).toBeUndefined();
  });
});
