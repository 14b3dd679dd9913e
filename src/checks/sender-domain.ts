import { addressValues, couldNotCheck, describeOutcome, mxValues, outcomeProse } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { domainOf } from '../message/address.js';
import type { Prose } from '../prose.js';
import { joinRoles, roles as roleWords } from './roles.js';

/** The envelope and From domains exist and can take replies: MX, or A/AAAA as implicit MX (RFC 5321 §5.1). */
export const senderDomain: Check = {
  id: 'sender-domain',
  description: 'The envelope and From domains exist and can receive mail',
  needsDns: true,
  skipReason: () => null,
  memoKey: (inputs) => `${inputs.mailFrom}\u0000${inputs.from}`,
  async run({ inputs, dns }) {
    const roles = new Map<string, { names: string[]; words: Prose[] }>();
    if (inputs.mailFrom) roles.set(domainOf(inputs.mailFrom), { names: ['envelope'], words: [roleWords.envelope] });
    const fromDomain = domainOf(inputs.from);
    if (fromDomain) {
      const known = roles.get(fromDomain) ?? { names: [], words: [] };
      roles.set(fromDomain, { names: [...known.names, 'From'], words: [...known.words, roleWords.from] });
    }
    const results = await Promise.all(
      [...roles].map(async ([domain, r]): Promise<Observation> => {
        // MX and the address fallback are asked together: one round trip.
        const [mx, a, aaaa] = await Promise.all([dns.query(domain, 'MX'), dns.query(domain, 'A'), dns.query(domain, 'AAAA')]);
        const evidence = { [`MX ${domain}`]: describeOutcome(mx), [`A ${domain}`]: describeOutcome(a), [`AAAA ${domain}`]: describeOutcome(aaaa) };
        const observe = (status: string, detail: Prose): Observation => ({
          check: 'sender-domain',
          kind: 'domain',
          data: { domain, role: r.names.join('/'), status },
          prose: { role: joinRoles(r.words), detail },
          evidence,
          ...(status === 'could-not-check' ? { undecided: detail } : {}),
        });
        if (couldNotCheck(mx)) {
          const outcome = outcomeProse(mx);
          return observe('could-not-check', { en: `its MX lookup failed (${outcome.en})`, zh: `MX 查询失败（${outcome.zh}）` });
        }
        if (mx.status === 'nxdomain') return observe('nxdomain', { en: 'does not exist (NXDOMAIN)', zh: '不存在（NXDOMAIN）' });
        const exchanges = mxValues(mx);
        if (exchanges.length === 1 && (exchanges[0]!.exchange === '' || exchanges[0]!.exchange === '.')) {
          return observe('null-mx', { en: 'publishes a null MX (RFC 7505): it declares it takes no mail', zh: '发布了空 MX（RFC 7505）：声明不接收邮件' });
        }
        if (exchanges.length > 0) {
          const shown = exchanges.map((m) => `${m.priority} ${m.exchange}`).join(', ');
          return observe('accepts', { en: `has MX ${shown}`, zh: `的 MX 为 ${shown}` });
        }
        if (addressValues(a).length + addressValues(aaaa).length > 0) return observe('accepts', { en: 'has no MX but an address record (implicit MX)', zh: '没有 MX，但有地址记录（隐式 MX）' });
        if (couldNotCheck(a) || couldNotCheck(aaaa)) return observe('could-not-check', { en: 'has no MX and its address lookup failed', zh: '没有 MX，且地址查询失败' });
        return observe('no-mail-host', { en: 'has neither MX nor A/AAAA records: replies cannot be delivered', zh: '既没有 MX 也没有 A/AAAA 记录：回信无法投递' });
      }),
    );
    return results;
  },
};
