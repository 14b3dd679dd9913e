/**
 * The validator against signed zones served over the wire by the project's zone server:
 * a table of names and types with the verdict each must get — secure answers and secure
 * denials (NSEC and NSEC3, wildcard, CNAME, empty non-terminal), proven unsigned
 * delegations, and bogus chains with the broken link named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServer } from '../../src/dns/client.js';
import { askPacket } from '../../src/dns/wire.js';
import { ZoneSet } from '../../src/dns/zone.js';
import { startZoneServer, type RunningZoneServer } from '../../src/dns/zone-server.js';
import { parseTrustAnchors } from '../../src/dnssec/anchors.js';
import { Validator } from '../../src/dnssec/validator.js';
import type { SignedWorld } from '../helpers/signed-zones.js';
import { signedWorld } from './world.js';

let world: SignedWorld;
let server: RunningZoneServer;
const validator = () => new Validator((name, type) => askPacket(name, type, { servers: [parseServer(server.address)], timeoutMs: 2000, tries: 1 }, true), parseTrustAnchors(world.trustAnchor(), 'test anchor'));

beforeAll(async () => {
  world = signedWorld();
  server = await startZoneServer({ zones: new ZoneSet([]), responder: world });
});
afterAll(() => server?.close());

const cases: { name: string; type: string; status: string; outcome?: string; link?: RegExp; why?: RegExp }[] = [
  { name: 'secure.test', type: 'TXT', status: 'secure', outcome: 'answer' },
  { name: 'secure.test', type: 'MX', status: 'secure', outcome: 'answer' },
  { name: '_dmarc.secure.test', type: 'TXT', status: 'secure', outcome: 'answer' },
  { name: 'secure.test', type: 'AAAA', status: 'secure', outcome: 'nodata' },
  { name: 'nothing.secure.test', type: 'TXT', status: 'secure', outcome: 'nxdomain' },
  { name: 'b.secure.test', type: 'TXT', status: 'secure', outcome: 'nodata' },
  { name: 'x.wild.secure.test', type: 'TXT', status: 'secure', outcome: 'answer' },
  { name: 'alias.secure.test', type: 'TXT', status: 'secure', outcome: 'answer' },
  { name: 'hashed.test', type: 'TXT', status: 'secure', outcome: 'answer' },
  { name: '_dmarc.hashed.test', type: 'TXT', status: 'secure', outcome: 'nxdomain' },
  { name: 'hashed.test', type: 'AAAA', status: 'secure', outcome: 'nodata' },
  { name: 'plain.test', type: 'TXT', status: 'insecure', why: /plain\.test is delegated from test without a DS record/ },
  { name: '_dmarc.plain.test', type: 'TXT', status: 'insecure' },
  { name: 'optout.nsec3tld.test', type: 'TXT', status: 'insecure', why: /opt-out/ },
  { name: 'island.test', type: 'TXT', status: 'insecure' },
  { name: 'tampered.test', type: 'TXT', status: 'bogus', link: /^TXT tampered\.test$/, why: /do not verify: its signature by key \d+ does not verify/ },
  { name: '_dmarc.tampered.test', type: 'TXT', status: 'secure', outcome: 'answer' },
  { name: 'expired.test', type: 'TXT', status: 'bogus', link: /^DNSKEY expired\.test$/, why: /expired at 20\d\d-/ },
  { name: 'wrongds.test', type: 'TXT', status: 'bogus', link: /^DNSKEY wrongds\.test$/, why: /no DNSKEY of wrongds\.test matches its DS records/ },
  { name: '_dmarc.stripped.test', type: 'TXT', status: 'bogus', link: /^TXT _dmarc\.stripped\.test$/, why: /carries no signature/ },
  { name: 'stripped.test', type: 'TXT', status: 'secure', outcome: 'answer' },
];

describe('DNSSEC validation over the wire', () => {
  it.each(cases)('$type $name → $status', async (c) => {
    const result = await validator().validate(c.name, c.type);
    expect(result.security.status, JSON.stringify(result.security)).toBe(c.status);
    if (c.outcome) expect(result.outcome).toBe(c.outcome);
    if (c.link) expect((result.security as { link: string }).link).toMatch(c.link);
    if (c.why) expect((result.security as { why: { en: string } }).why.en).toMatch(c.why);
  });

  it('another root key than the anchor names: bogus at the root', async () => {
    const other = signedWorld().trustAnchor();
    const v = new Validator((name, type) => askPacket(name, type, { servers: [parseServer(server.address)], timeoutMs: 2000, tries: 1 }, true), parseTrustAnchors(other, 'other anchor'));
    const result = await v.validate('secure.test', 'TXT');
    expect(result.security).toMatchObject({ status: 'bogus', link: 'DNSKEY .' });
  });
});
