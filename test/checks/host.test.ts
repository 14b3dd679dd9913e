import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimKey } from '../../src/checks/dkim-key.js';
import { heloCheck } from '../../src/checks/helo.js';
import { ptrCheck } from '../../src/checks/ptr.js';
import { senderDomain } from '../../src/checks/sender-domain.js';
import { generateKeyPairSync } from 'node:crypto';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { inputs, observe, summary } from '../helpers/checks.js';
import { clientFor, serveZones } from '../helpers/dns.js';

const rsaKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const split = (s: string) => (s.match(/.{1,200}/g) ?? []).map((part) => `"${part}"`).join(' ');
const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');

const zones = [
  `$ORIGIN h.test.
mail      A    192.0.2.10
mail      AAAA 2001:db8::10
other     A    192.0.2.99
@         MX   10 mail
nullmx    MX   0 .
nomx      A    192.0.2.11
empty     TXT  "just text"
k2048._domainkey TXT ( "v=DKIM1; k=rsa; p=" ${split(rsaKey(2048))} )
k1024._domainkey TXT ( "v=DKIM1; k=rsa; p=" ${split(rsaKey(1024))} )
k512._domainkey  TXT ( "v=DKIM1; k=rsa; p=" ${split(rsaKey(512))} )
ked._domainkey   TXT "v=DKIM1; k=ed25519; p=${ed}"
revoked._domainkey TXT "v=DKIM1; p="
junk._domainkey  TXT "v=DKIM1; p=bm90IGEga2V5"
test._domainkey  TXT ( "v=DKIM1; t=y; p=" ${split(rsaKey(2048))} )
`,
  `$ORIGIN 2.0.192.in-addr.arpa.
10   PTR mail.h.test.
20   PTR other.h.test.
`,
];

let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZones(zones, { silent: (name) => name.startsWith('slow') });
});
afterAll(() => server.close());
const dns = () => clientFor(server, 300);

describe('ptr', () => {
  const cases: [string, string, string][] = [
    ['forward-confirmed', '192.0.2.10', 'confirmed'],
    ['a PTR that points elsewhere', '192.0.2.20', 'not-confirmed'],
    ['no PTR at all', '192.0.2.30', 'none'],
  ];
  it.each(cases)('%s', async (_n, ip, status) => {
    expect(summary(await observe(ptrCheck, inputs({ ip }), dns()))).toEqual([{ kind: 'ptr', data: expect.objectContaining({ ip, status }) }]);
  });
});

describe('helo', () => {
  const cases: [string, string, string | undefined, string][] = [
    ['an FQDN resolving to the IP', 'mail.h.test', '192.0.2.10', 'none'],
    ['the PTR name of the IP', 'other.h.test', '192.0.2.20', 'none'],
    ['an FQDN resolving elsewhere', 'other.h.test', '192.0.2.10', 'mismatch'],
    ['a name that does not resolve', 'nowhere.h.test', '192.0.2.10', 'does-not-resolve'],
    ['a bare word', 'localhost', '192.0.2.10', 'not-fqdn'],
    ['a bare IP', '192.0.2.10', '192.0.2.10', 'bare-ip'],
    ['an address literal of the IP', '[192.0.2.10]', '192.0.2.10', 'none'],
    ['an address literal of another IP', '[192.0.2.99]', '192.0.2.10', 'mismatch'],
    ['an IPv6 literal', '[IPv6:2001:db8::10]', '2001:db8::10', 'none'],
    ['a resolver that never answers', 'slow.h.test', '192.0.2.10', 'could-not-check'],
  ];
  it.each(cases)('%s', async (_n, helo, ip, problem) => {
    expect(summary(await observe(heloCheck, inputs({ helo, ip }), dns()))).toEqual([{ kind: 'helo', data: expect.objectContaining({ helo, problem }) }]);
  });
});

describe('sender-domain', () => {
  const cases: [string, string, string][] = [
    ['an MX', 'h.test', 'accepts'],
    ['a null MX (RFC 7505)', 'nullmx.h.test', 'null-mx'],
    ['no MX but an A record', 'nomx.h.test', 'accepts'],
    ['neither MX nor address', 'empty.h.test', 'no-mail-host'],
    ['no such domain', 'gone.h.test', 'nxdomain'],
    ['a server that never answers', 'slow.test', 'could-not-check'],
  ];
  it.each(cases)('%s', async (_n, domain, status) => {
    const observed = summary(await observe(senderDomain, inputs({ domain, mailFrom: `a@${domain}` }), dns()));
    expect(observed).toEqual([{ kind: 'domain', data: expect.objectContaining({ domain, role: 'envelope/From', status }) }]);
  });

  it('checks envelope and From separately when they differ', async () => {
    const observed = summary(await observe(senderDomain, inputs({ domain: 'h.test', mailFrom: 'a@h.test', from: 'b@nullmx.h.test' }), dns()));
    expect(observed.map((o) => [o.data.role, o.data.status])).toEqual([['envelope', 'accepts'], ['From', 'null-mx']]);
  });
});

describe('dkim-key', () => {
  const cases: [string, string, { status: string; bits?: number }[]][] = [
    ['a 2048-bit RSA key', 'k2048', [{ status: 'ok', bits: 2048 }]],
    ['a 1024-bit key: works, but short', 'k1024', [{ status: 'weak', bits: 1024 }]],
    ['a 512-bit key: ignored by receivers', 'k512', [{ status: 'weak', bits: 512 }]],
    ['an ed25519 key', 'ked', [{ status: 'ok' }]],
    ['a revoked key', 'revoked', [{ status: 'revoked' }]],
    ['not a key', 'junk', [{ status: 'unparseable' }]],
    ['testing mode', 'test', [{ status: 'ok', bits: 2048 }, { status: 'testing' }]],
    ['no key published', 'absent', [{ status: 'missing' }]],
  ];
  it.each(cases)('%s', async (_n, selector, expected) => {
    const observed = summary(await observe(dkimKey, inputs({ domain: 'h.test', dkimSelectors: [selector] }), dns()));
    expect(observed).toEqual(expected.map((e) => ({ kind: 'key', data: expect.objectContaining({ selector, ...e }) })));
  });
});
