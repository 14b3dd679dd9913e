import { addressValues, couldNotCheck, describeOutcome, mxValues } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { domainOf } from '../message/address.js';

/** The envelope and From domains exist and can take replies: MX, or A/AAAA as implicit MX (RFC 5321 §5.1). */
export const senderDomain: Check = {
  id: 'sender-domain',
  description: 'The envelope and From domains exist and can receive mail',
  needsDns: true,
  skipReason: () => null,
  async run({ inputs, dns }) {
    const roles = new Map<string, string[]>();
    if (inputs.mailFrom) roles.set(domainOf(inputs.mailFrom), ['envelope']);
    const fromDomain = domainOf(inputs.from);
    if (fromDomain) roles.set(fromDomain, [...(roles.get(fromDomain) ?? []), 'From']);
    const results = await Promise.all(
      [...roles].map(async ([domain, r]): Promise<Observation> => {
        // MX and the address fallback are asked together: one round trip.
        const [mx, a, aaaa] = await Promise.all([dns.query(domain, 'MX'), dns.query(domain, 'A'), dns.query(domain, 'AAAA')]);
        const evidence = { [`MX ${domain}`]: describeOutcome(mx), [`A ${domain}`]: describeOutcome(a), [`AAAA ${domain}`]: describeOutcome(aaaa) };
        const role = r.join('/');
        const observe = (status: string, detail: string): Observation => ({ check: 'sender-domain', kind: 'domain', data: { domain, role, status, detail }, evidence });
        if (couldNotCheck(mx)) return observe('could-not-check', `its MX lookup failed (${describeOutcome(mx)})`);
        if (mx.status === 'nxdomain') return observe('nxdomain', 'does not exist (NXDOMAIN)');
        const exchanges = mxValues(mx);
        if (exchanges.length === 1 && (exchanges[0]!.exchange === '' || exchanges[0]!.exchange === '.')) {
          return observe('null-mx', 'publishes a null MX (RFC 7505): it declares it takes no mail');
        }
        if (exchanges.length > 0) return observe('accepts', `has MX ${exchanges.map((m) => `${m.priority} ${m.exchange}`).join(', ')}`);
        if (addressValues(a).length + addressValues(aaaa).length > 0) return observe('accepts', 'has no MX but an address record (implicit MX)');
        if (couldNotCheck(a) || couldNotCheck(aaaa)) return observe('could-not-check', 'has no MX and its address lookup failed');
        return observe('no-mail-host', 'has neither MX nor A/AAAA records: replies cannot be delivered');
      }),
    );
    return results;
  },
};
