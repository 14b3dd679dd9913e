/**
 * The DNSSEC tests' world: a private root signed with RSASHA256, a `test.` TLD with
 * ECDSAP256SHA256, and below it one zone per case — secure (ED25519, NSEC; NSEC3),
 * unsigned delegations (with NSEC, and in an NSEC3 opt-out span), and each way the chain
 * breaks. Built once per test file; keys are made fresh each time.
 */
import { SignedWorld, type ZoneSpec } from '../helpers/signed-zones.js';

const mail = (origin: string, extra: [string, string, unknown][] = []): [string, string, unknown][] => [
  [origin, 'TXT', [Buffer.from('v=spf1 ip4:203.0.113.5 -all')]],
  [`_dmarc.${origin}`, 'TXT', [Buffer.from('v=DMARC1; p=reject')]],
  [origin, 'MX', { preference: 10, exchange: `mx.${origin}` }],
  [`mx.${origin}`, 'A', '127.0.0.31'],
  ...extra,
];

const now = () => Math.floor(Date.now() / 1000);

export const worldSpecs = (): ZoneSpec[] => [
  { origin: '.', algorithm: 8, records: [] },
  { origin: 'test', algorithm: 13, records: [] },
  { origin: 'nsec3tld.test', algorithm: 13, nsec3: { iterations: 0, salt: 'aabbccdd', optOut: true }, records: [] },
  // Secure, NSEC, ED25519; a wildcard, a CNAME, an empty non-terminal.
  { origin: 'secure.test', algorithm: 15, records: mail('secure.test', [['*.wild.secure.test', 'TXT', [Buffer.from('v=spf1 -all')]], ['alias.secure.test', 'CNAME', 'secure.test'], ['a.b.secure.test', 'A', '192.0.2.1']]) },
  // Secure, NSEC3 (no DMARC record: a signed denial).
  { origin: 'hashed.test', algorithm: 13, nsec3: { iterations: 0, salt: '' }, records: mail('hashed.test').filter(([n]) => !n.startsWith('_dmarc')) },
  // Unsigned, delegated without DS.
  { origin: 'plain.test', records: mail('plain.test') },
  // Unsigned, under an NSEC3 opt-out span of its parent.
  { origin: 'optout.nsec3tld.test', records: mail('optout.nsec3tld.test') },
  // Bogus: the SPF record changed after signing.
  { origin: 'tampered.test', algorithm: 13, records: mail('tampered.test'), tamper: { name: 'tampered.test', type: 'TXT', data: [Buffer.from('v=spf1 +all')] } },
  // Bogus: every signature expired yesterday.
  { origin: 'expired.test', algorithm: 13, records: mail('expired.test'), validity: { inception: now() - 40 * 86400, expiration: now() - 86400 } },
  // Bogus: the parent's DS names a key the zone does not serve.
  { origin: 'wrongds.test', algorithm: 13, wrongDs: true, records: mail('wrongds.test') },
  // Bogus: the DMARC answer served without its RRSIG.
  { origin: 'stripped.test', algorithm: 13, records: mail('stripped.test'), strip: { name: '_dmarc.stripped.test', type: 'TXT' } },
  // Signed, but no DS at the parent: insecure (a zone no one vouches for).
  { origin: 'island.test', algorithm: 13, noDs: true, records: mail('island.test') },
];

export const signedWorld = (): SignedWorld => new SignedWorld(worldSpecs());
