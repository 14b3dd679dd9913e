import { DnsClient } from '../../src/dns/client.js';
import { Zone, ZoneSet, zoneFromText } from '../../src/dns/zone.js';
import { startZoneServer, type RunningZoneServer, type ZoneServerOptions } from '../../src/dns/zone-server.js';

/** A real DNS server on 127.0.0.1 answering from zone-file text: what the checks are tested against. */
export async function serveZones(texts: string[], options: Omit<ZoneServerOptions, 'zones'> = {}): Promise<RunningZoneServer> {
  const zones = new ZoneSet(texts.map((text, i) => zoneFromText(text, `test-zone-${i}`)));
  return startZoneServer({ zones, ...options });
}

export async function serveZoneSet(zones: ZoneSet | Zone[], options: Omit<ZoneServerOptions, 'zones'> = {}): Promise<RunningZoneServer> {
  return startZoneServer({ zones: Array.isArray(zones) ? new ZoneSet(zones) : zones, ...options });
}

/** A client that asks only the test server, over the wire. */
export function clientFor(server: RunningZoneServer, timeoutMs = 1500, budget = 500): DnsClient {
  return new DnsClient({ servers: [server.address], timeoutMs, tries: 1, zones: new ZoneSet([]), offline: false, budget });
}

/** A client that may not send anything: for checks that need no DNS, proving they never ask. */
export function offlineClient(): DnsClient {
  return new DnsClient({ servers: ['127.0.0.1:9'], timeoutMs: 100, tries: 1, zones: new ZoneSet([]), offline: true, budget: 0 });
}
