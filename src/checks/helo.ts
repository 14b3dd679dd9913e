import { isIP } from 'node:net';
import { addressValues, couldNotCheck, describeOutcome } from '../dns/records.js';
import { reverseName, sameAddress, unmapIPv4 } from '../dns/reverse.js';
import type { Check, Observation } from '../engine/types.js';
import { domainProblem } from '../message/address.js';

function observe(helo: string, problem: string, detail: string, evidence: Record<string, unknown> = {}): Observation[] {
  return [{ check: 'helo', kind: 'helo', data: { helo, problem, detail }, evidence: { helo, ...evidence } }];
}

/** The HELO name is an FQDN (or an address literal), resolves, and matches the IP or its PTR (RFC 5321 §4.1.1.1). */
export const heloCheck: Check = {
  id: 'helo',
  description: 'The HELO name is a resolving FQDN that matches the IP',
  needsDns: true,
  sendingServer: true,
  skipReason: (inputs) => (inputs.helo === undefined ? 'no --helo given' : inputs.helo.trim() === '' ? 'empty HELO (reported by helo-present)' : null),
  async run({ inputs, dns }) {
    const helo = inputs.helo!.trim();
    const ip = inputs.ip ? unmapIPv4(inputs.ip) : undefined;
    const literal = /^\[(?:IPv6:)?([^\]]+)\]$/i.exec(helo);
    if (literal) {
      if (!isIP(literal[1]!)) return observe(helo, 'bad-literal', 'is not a valid address literal');
      if (ip && !sameAddress(literal[1]!, ip)) return observe(helo, 'mismatch', `is an address literal for ${literal[1]}, not the sending IP ${ip}`);
      return observe(helo, 'none', 'is an address literal for the sending IP');
    }
    if (isIP(helo)) return observe(helo, 'bare-ip', 'is a bare IP address; RFC 5321 requires an FQDN or an address literal in brackets');
    const problem = domainProblem(helo);
    if (problem) return observe(helo, 'not-fqdn', `is not a fully qualified domain name (${problem})`);
    const [a, aaaa, ptr] = await Promise.all([dns.query(helo, 'A'), dns.query(helo, 'AAAA'), ip ? dns.query(reverseName(ip), 'PTR') : undefined]);
    const evidence = { [`A ${helo}`]: describeOutcome(a), [`AAAA ${helo}`]: describeOutcome(aaaa), ...(ptr && ip ? { [`PTR ${reverseName(ip)}`]: describeOutcome(ptr) } : {}) };
    const addresses = [...addressValues(a), ...addressValues(aaaa)];
    if (addresses.length === 0) {
      if (couldNotCheck(a) || couldNotCheck(aaaa)) return observe(helo, 'could-not-check', `its address lookup failed (${describeOutcome(couldNotCheck(a) ? a : aaaa)})`, evidence);
      return observe(helo, 'does-not-resolve', 'does not resolve to any address', evidence);
    }
    if (!ip) return observe(helo, 'none', `resolves to ${addresses.join(', ')}`, evidence);
    if (addresses.some((addr) => sameAddress(addr, ip))) return observe(helo, 'none', `resolves to the sending IP ${ip}`, evidence);
    const ptrNames = ptr ? addressValues(ptr) : [];
    if (ptrNames.includes(helo.toLowerCase().replace(/\.$/, ''))) return observe(helo, 'none', `is the PTR name of ${ip}`, evidence);
    return observe(helo, 'mismatch', `resolves to ${addresses.join(', ')}, not to the sending IP ${ip}, and is not its PTR name`, evidence);
  },
};
