/**
 * The same signed zones validated by BIND's delv (Debian's bind9-dnsutils), an
 * implementation presend shares no code with: for every case of the table, delv's verdict
 * and presend's agree. This holds the test signer and presend's validator to the RFCs
 * together — two halves that agreed on a mistake would disagree with delv. Skipped where
 * delv is not installed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServer } from '../../src/dns/client.js';
import { askPacket } from '../../src/dns/wire.js';
import { ZoneSet } from '../../src/dns/zone.js';
import { startZoneServer, type RunningZoneServer } from '../../src/dns/zone-server.js';
import { parseTrustAnchors } from '../../src/dnssec/anchors.js';
import { Validator } from '../../src/dnssec/validator.js';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { hasBinary } from '../../scripts/spam-engines.js';
import type { SignedWorld } from '../helpers/signed-zones.js';
import { signedWorld } from './world.js';

const run = promisify(execFile);
const hasDelv = hasBinary('delv') as boolean;

/** delv's verdict in presend's words. */
function delvVerdict(output: string): string {
  if (/; (negative response, )?fully validated/.test(output)) return 'secure';
  if (/; (negative response, )?unsigned answer/.test(output)) return 'insecure';
  if (/resolution failed: (no valid|broken trust chain|insecurity proof failed|RRSIG|DNSSEC|no valid RRSIG|no valid DS|no valid KEY|bad cache hit|must-be-secure)/i.test(output)) return 'bogus';
  return `unread: ${output.split('\n').filter((l) => l.startsWith(';')).join(' / ')}`;
}

const NAMES: [string, string][] = [
  ['secure.test', 'TXT'],
  ['_dmarc.secure.test', 'TXT'],
  ['secure.test', 'MX'],
  ['secure.test', 'AAAA'],
  ['nothing.secure.test', 'TXT'],
  ['b.secure.test', 'TXT'],
  ['x.wild.secure.test', 'TXT'],
  ['alias.secure.test', 'TXT'],
  ['hashed.test', 'TXT'],
  ['_dmarc.hashed.test', 'TXT'],
  ['plain.test', 'TXT'],
  ['optout.nsec3tld.test', 'TXT'],
  ['island.test', 'TXT'],
  ['tampered.test', 'TXT'],
  ['expired.test', 'TXT'],
  ['wrongds.test', 'TXT'],
  ['_dmarc.stripped.test', 'TXT'],
];

describe.skipIf(!hasDelv)('presend and BIND’s delv agree on every signed test zone', () => {
  let world: SignedWorld;
  let server: RunningZoneServer;
  let anchorFile: string;
  beforeAll(async () => {
    world = signedWorld();
    server = await startZoneServer({ zones: new ZoneSet([]), responder: world });
    const [tag, algorithm, digestType, hex] = world.trustAnchor().trim().split(/\s+/).slice(3);
    anchorFile = join(mkdtempSync(join(tmpdir(), 'presend-delv-')), 'anchor.conf');
    writeFileSync(anchorFile, `trust-anchors {\n  . static-ds ${tag} ${algorithm} ${digestType} "${hex}";\n};\n`);
  });
  afterAll(() => server?.close());

  it.each(NAMES)('%s %s', async (name, type) => {
    const delv = await run('delv', [`@127.0.0.1`, '-p', String(server.port), '-a', anchorFile, '+root=.', name, type], { timeout: 20_000 }).then(
      (r) => r.stdout + r.stderr,
      (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
    const presend = await new Validator((n, t) => askPacket(n, t, { servers: [parseServer(server.address)], timeoutMs: 2000, tries: 1 }, true), parseTrustAnchors(world.trustAnchor(), 'test anchor')).validate(name, type);
    expect(presend.security.status, delv).toBe(delvVerdict(delv));
  });
});
