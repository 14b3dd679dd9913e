import type { Check, Observation } from '../engine/types.js';
import { domainOf, domainProblem } from '../message/address.js';
import { organizationalDomain } from '../message/organization.js';
import type { Prose } from '../prose.js';

function fromHeaderProblem(observe: (problem: string, detail: Prose) => Observation, inputs: Parameters<Check['skipReason']>[0]): Observation | null {
  const message = inputs.message;
  if (!message) return null;
  if (message.fromHeaders.length === 0) return observe('missing', { en: 'the message has no From header', zh: '邮件没有 From 信头' });
  if (message.fromHeaders.length > 1) return observe('several-from-headers', { en: `the message has ${message.fromHeaders.length} From headers; RFC 5322 allows one`, zh: `邮件有 ${message.fromHeaders.length} 个 From 信头；RFC 5322 只允许一个` });
  if (message.from.length === 0 || message.from.some((m) => !m.address.includes('@'))) {
    return observe('unparseable', { en: `"${message.fromHeaders[0]}" holds no parseable address`, zh: `"${message.fromHeaders[0]}" 中没有可解析的地址` });
  }
  const badDomain = message.from.map((m) => ({ address: m.address, problem: domainProblem(domainOf(m.address)) })).find((m) => m.problem !== null);
  if (badDomain) {
    return observe('from-domain-invalid', { en: `the From address ${badDomain.address} has no valid domain: ${badDomain.problem!.en}`, zh: `From 地址 ${badDomain.address} 的域名无效：${badDomain.problem!.zh}` });
  }
  if (message.from.length > 1 && message.sender.length === 0) {
    const authors = message.from.map((m) => m.address).join(', ');
    return observe('multiple-without-sender', {
      en: `From lists ${message.from.length} authors (${authors}) and there is no Sender header`,
      zh: `From 列出了 ${message.from.length} 个作者（${authors}），却没有 Sender 信头`,
    });
  }
  return null;
}

/**
 * The envelope sender against the header From, by organizational domain: some receivers
 * reject different organizations (which reply is the profile's business); the same
 * organization with another host or mailbox is fine.
 */
export const fromAlignment: Check = {
  id: 'from-alignment',
  description: 'The envelope sender and the header From belong to one organization',
  needsDns: false,
  skipReason: (inputs) => (inputs.mailFrom === '' && !inputs.message ? 'null sender: nothing to compare' : null),
  async run({ inputs }) {
    const headerEvidence = { from: inputs.message?.fromHeaders ?? [], sender: inputs.message?.sender.map((s) => s.address) ?? [] };
    const header = fromHeaderProblem(
      (problem, detail) => ({ check: 'from-alignment', kind: 'from-header', data: { problem }, prose: { detail }, evidence: headerEvidence }),
      inputs,
    );
    if (header) return [header];
    if (inputs.mailFrom === '') return [];
    const envelopeDomain = domainOf(inputs.mailFrom);
    const fromDomain = domainOf(inputs.from);
    const envelopeOrg = organizationalDomain(envelopeDomain);
    const fromOrg = organizationalDomain(fromDomain);
    const relation =
      inputs.mailFrom.toLowerCase() === inputs.from.toLowerCase() ? 'same' : envelopeOrg === fromOrg ? 'same-organization' : 'different-organization';
    return [
      {
        check: 'from-alignment',
        kind: 'alignment',
        data: { relation, envelope: inputs.mailFrom, from: inputs.from, envelopeDomain, fromDomain, organization: fromOrg },
        evidence: { mailFrom: inputs.mailFrom, mailFromSource: inputs.mailFromSource, headerFrom: inputs.from, envelopeOrganization: envelopeOrg, fromOrganization: fromOrg },
      },
    ];
  },
};
