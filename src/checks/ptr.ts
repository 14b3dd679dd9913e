import { isIP } from 'node:net';
import { addressValues, couldNotCheck, describeOutcome } from '../dns/records.js';
import { reverseName, sameAddress, unmapIPv4 } from '../dns/reverse.js';
import type { Check } from '../engine/types.js';

/** RFC 1912 §2.1 / Gmail's 5.7.25: at most this many PTR names are forward-checked. */
const MAX_PTR_NAMES = 10;

/** Forward-confirmed reverse DNS: the IP's PTR name resolves back to the IP. */
export const ptrCheck: Check = {
  id: 'ptr',
  description: 'The sending IP has forward-confirmed reverse DNS',
  needsDns: true,
  sendingServer: true,
  skipReason: (inputs) => (inputs.ip === undefined ? 'needs --ip' : null),
  async run({ inputs, dns }) {
    const ip = unmapIPv4(inputs.ip!);
    const name = reverseName(ip);
    const ptr = await dns.query(name, 'PTR');
    const observe = (status: string, detail: string, evidence: Record<string, unknown>) => [
      { check: 'ptr', kind: 'ptr', data: { ip, status, detail }, evidence: { query: `PTR ${name}`, answer: describeOutcome(ptr), ...evidence } },
    ];
    if (couldNotCheck(ptr)) return observe('could-not-check', describeOutcome(ptr), {});
    const names = addressValues(ptr).slice(0, MAX_PTR_NAMES);
    if (names.length === 0) return observe('none', 'has no PTR record', {});
    const type = isIP(ip) === 4 ? 'A' : 'AAAA';
    const forward = await Promise.all(names.map(async (host) => ({ host, outcome: await dns.query(host, type) })));
    const confirmed = forward.find((f) => addressValues(f.outcome).some((a) => sameAddress(a, ip)));
    const lookups = Object.fromEntries(forward.map((f) => [`${type} ${f.host}`, describeOutcome(f.outcome)]));
    if (confirmed) return observe('confirmed', `has PTR ${confirmed.host}, which resolves back to it`, { forward: lookups });
    if (forward.some((f) => couldNotCheck(f.outcome))) return observe('could-not-check', `PTR ${names.join(', ')} could not be resolved forward`, { forward: lookups });
    return observe('not-confirmed', `has PTR ${names.join(', ')}, which does not resolve back to it (no forward-confirmed reverse DNS)`, { forward: lookups });
  },
};
