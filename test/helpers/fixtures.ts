import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadZoneFile, ZoneSet } from '../../src/dns/zone.js';

/** The fixture world the demo uses: sending domains, reverse DNS and blocklists. */
export function fixtureZones(): ZoneSet {
  const dir = 'fixtures/zones';
  return new ZoneSet(readdirSync(dir).filter((f) => f.endsWith('.zone')).sort().map((f) => loadZoneFile(join(dir, f))));
}
