/**
 * The address presend connects to for a host it must reach — an MTA-STS policy host, a BIMI
 * logo host, an MX, a nameserver: the first of its A and AAAA answers. One rule for every
 * check that connects: a host whose lookups answered with no address has none (a fact about
 * the domain); one whose lookup failed is unknown (could not check, never "no address");
 * under --offline only a loopback address is connected to.
 */
import type { DnsClient } from '../dns/client.js';
import { addressValues, couldNotCheck, outcomeProse } from '../dns/records.js';
import { isIP, isLoopbackAddress } from '../ip.js';
import type { Prose } from '../prose.js';

export type HostAddress =
  | { status: 'address'; address: string }
  | { status: 'none' }
  | { status: 'could-not-resolve'; why: Prose }
  | { status: 'offline'; address: string; why: Prose };

export async function hostAddress(dns: DnsClient, host: string, offline: boolean): Promise<HostAddress> {
  const [a, aaaa] = await Promise.all([dns.query(host, 'A'), dns.query(host, 'AAAA')]);
  const address = [...addressValues(a), ...addressValues(aaaa)].find((v) => isIP(v));
  if (address === undefined) {
    const failed = couldNotCheck(a) ? a : couldNotCheck(aaaa) ? aaaa : null;
    if (!failed) return { status: 'none' };
    return { status: 'could-not-resolve', why: { en: `${host} could not be resolved (${outcomeProse(failed).en})`, zh: `无法解析 ${host}（${outcomeProse(failed).zh}）` } };
  }
  if (offline && !isLoopbackAddress(address)) return { status: 'offline', address, why: { en: `--offline: not connecting to ${host} (${address})`, zh: `--offline：不连接 ${host}（${address}）` } };
  return { status: 'address', address };
}
