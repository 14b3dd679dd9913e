import { isIP } from '../ip.js';
import { addressValues, couldNotCheck, describeOutcome, outcomeProse } from '../dns/records.js';
import { reverseName, sameAddress, unmapIPv4 } from '../dns/reverse.js';
import type { Check } from '../engine/types.js';
import type { Prose } from '../prose.js';

/** RFC 1912 §2.1 / Gmail's 5.7.25: at most this many PTR names are forward-checked. */
const MAX_PTR_NAMES = 10;

/** Forward-confirmed reverse DNS: the IP's PTR name resolves back to the IP. */
export const ptrCheck: Check = {
  id: 'ptr',
  description: 'The sending IP has forward-confirmed reverse DNS',
  needsDns: true,
  sendingServer: true,
  skipReason: (inputs) => (inputs.ip === undefined ? 'needs --ip' : null),
  memoKey: (inputs) => inputs.ip!,
  async run({ inputs, dns }) {
    const ip = unmapIPv4(inputs.ip!);
    const name = reverseName(ip);
    const ptr = await dns.query(name, 'PTR');
    const observe = (status: string, detail: Prose, evidence: Record<string, unknown>) => [
      { check: 'ptr', kind: 'ptr', data: { ip, status }, prose: { detail }, evidence: { query: `PTR ${name}`, answer: describeOutcome(ptr), ...evidence }, ...(status === 'could-not-check' ? { undecided: detail } : {}) },
    ];
    if (couldNotCheck(ptr)) return observe('could-not-check', outcomeProse(ptr), {});
    const names = addressValues(ptr).slice(0, MAX_PTR_NAMES);
    if (names.length === 0) return observe('none', { en: 'has no PTR record', zh: '没有 PTR 记录' }, {});
    const type = isIP(ip) === 4 ? 'A' : 'AAAA';
    const forward = await Promise.all(names.map(async (host) => ({ host, outcome: await dns.query(host, type) })));
    const confirmed = forward.find((f) => addressValues(f.outcome).some((a) => sameAddress(a, ip)));
    const lookups = Object.fromEntries(forward.map((f) => [`${type} ${f.host}`, describeOutcome(f.outcome)]));
    const shown = names.join(', ');
    if (confirmed) return observe('confirmed', { en: `has PTR ${confirmed.host}, which resolves back to it`, zh: `的 PTR 为 ${confirmed.host}，可正向解析回该 IP` }, { forward: lookups });
    if (forward.some((f) => couldNotCheck(f.outcome))) {
      return observe('could-not-check', { en: `PTR ${shown} could not be resolved forward`, zh: `PTR ${shown} 无法正向解析` }, { forward: lookups });
    }
    return observe(
      'not-confirmed',
      { en: `has PTR ${shown}, which does not resolve back to it (no forward-confirmed reverse DNS)`, zh: `的 PTR 为 ${shown}，但它不能正向解析回该 IP（没有正向确认的反向解析）` },
      { forward: lookups },
    );
  },
};
