/**
 * DNSSEC for the records mail reads — the domain's SPF (TXT), its DMARC record and its MX —
 * validated from the trust anchor down (src/dnssec): secure, insecure (an unsigned
 * delegation, proven), or bogus with the broken link named. A bogus SPF or DMARC answer
 * is a failed lookup to every validating receiver (Gmail's and Outlook's resolvers
 * validate): SPF's temperror, no DMARC policy.
 */
import type { DnsClient } from '../dns/client.js';
import { rootTrustAnchors } from '../dnssec/anchors.js';
import { Validator, type Security, type TrustAnchor } from '../dnssec/validator.js';
import type { Check, Observation } from '../engine/types.js';

const validators = new WeakMap<DnsClient, Validator>();

/** The target's validator: dnssec and dane walk the same chain (the root's keys, the domain's DS and DNSKEY) once. */
export function validatorFor(dns: DnsClient, anchors: TrustAnchor[] | undefined): Validator {
  let validator = validators.get(dns);
  if (!validator) validators.set(dns, (validator = new Validator((name, type) => dns.askDnssec(name, type), anchors ?? rootTrustAnchors())));
  return validator;
}

const QUESTIONS = (domain: string) => [
  { record: 'SPF', name: domain, type: 'TXT' },
  { record: 'DMARC', name: `_dmarc.${domain}`, type: 'TXT' },
  { record: 'MX', name: domain, type: 'MX' },
];

/** Questions with the same verdict and the same broken link (or unsigned delegation) are said once. */
function groupKey(s: Security): string {
  return s.status === 'bogus' ? `bogus ${s.link} ${s.why.en}` : s.status === 'insecure' ? `insecure ${s.at}` : s.status === 'could-not-check' ? `cnc ${s.why.en}` : 'secure';
}

export const dnssecCheck: Check = {
  id: 'dnssec',
  description: 'DNSSEC: the SPF, DMARC and MX answers validate from the root trust anchor (secure, insecure or bogus)',
  needsDns: true,
  // The domain's posture, reported by `presend domain` (and `check`'s domains): a draft's run, and the sink's per message, leave it out.
  skipReason: (inputs, data) =>
    inputs.kind !== 'domain' ? 'a posture check of presend domain' : data?.dnssecOverWire === false ? 'validated over the wire: --offline asks only a --resolver on loopback (--zone files carry no signatures)' : null,
  memoKey: (inputs) => inputs.domain,
  async run({ inputs, dns, data }) {
    const domain = inputs.domain;
    const validator = validatorFor(dns, data.trustAnchors);
    const questions = QUESTIONS(domain);
    const results = await Promise.all(questions.map(async (q) => ({ ...q, ...(await validator.validate(q.name, q.type)) })));
    const groups = new Map<string, typeof results>();
    for (const r of results) groups.set(groupKey(r.security), [...(groups.get(groupKey(r.security)) ?? []), r]);
    return [...groups.values()].map((group): Observation => {
      const s = group[0]!.security;
      const records = group.map((r) => r.record).join(', ');
      const asked = Object.fromEntries(group.map((r) => [r.record, `${r.type} ${r.name}${r.outcome ? ` (${r.outcome})` : ''}`]));
      switch (s.status) {
        case 'secure':
          return { check: 'dnssec', kind: 'zone', data: { domain, status: 'secure', records }, prose: { detail: { en: `${records} validate from the root: secure`, zh: `${records} 自根区验证通过：安全` } }, evidence: { asked } };
        case 'insecure':
          return { check: 'dnssec', kind: 'zone', data: { domain, status: 'insecure', records, at: s.at }, prose: { detail: s.why }, evidence: { asked, unsignedAt: s.at } };
        case 'bogus':
          return { check: 'dnssec', kind: 'answer', data: { domain, status: 'bogus', records, link: s.link }, prose: { detail: { en: `the ${records} answers are bogus — ${s.why.en}`, zh: `${records} 的应答为 bogus（验证失败）——${s.why.zh}` } }, evidence: { asked, brokenLink: s.link, reason: s.why.en } };
        case 'could-not-check':
          return { check: 'dnssec', kind: 'fault', data: { domain, status: 'could-not-check', records }, prose: { detail: s.why }, evidence: { asked }, undecided: s.why };
      }
    });
  },
};
