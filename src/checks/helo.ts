import { isIP } from '../ip.js';
import { addressValues, couldNotCheck, describeOutcome, outcomeProse } from '../dns/records.js';
import { reverseName, sameAddress, unmapIPv4 } from '../dns/reverse.js';
import type { Check, Observation } from '../engine/types.js';
import { domainProblem } from '../message/address.js';
import type { Prose } from '../prose.js';

function observe(helo: string, problem: string, detail: Prose, evidence: Record<string, unknown> = {}): Observation[] {
  return [{ check: 'helo', kind: 'helo', data: { helo, problem }, prose: { detail }, evidence: { helo, ...evidence }, ...(problem === 'could-not-check' ? { undecided: detail } : {}) }];
}

function addressLookupFailed(outcome: Prose): Prose {
  return { en: `its address lookup failed (${outcome.en})`, zh: `地址查询失败（${outcome.zh}）` };
}

/** The HELO name is an FQDN (or an address literal), resolves, and matches the IP or its PTR (RFC 5321 §4.1.1.1). */
export const heloCheck: Check = {
  id: 'helo',
  description: 'The HELO name is a resolving FQDN that matches the IP',
  needsDns: true,
  sendingServer: true,
  skipReason: (inputs) => (inputs.helo === undefined ? 'no --helo given' : inputs.helo.trim() === '' ? 'empty HELO (reported by helo-present)' : null),
  memoKey: (inputs) => `${inputs.helo}\u0000${inputs.ip ?? ''}`,
  async run({ inputs, dns }) {
    const helo = inputs.helo!.trim();
    const ip = inputs.ip ? unmapIPv4(inputs.ip) : undefined;
    const literal = /^\[(?:IPv6:)?([^\]]+)\]$/i.exec(helo);
    if (literal) {
      if (!isIP(literal[1]!)) return observe(helo, 'bad-literal', { en: 'is not a valid address literal', zh: '不是有效的地址字面量' });
      if (ip && !sameAddress(literal[1]!, ip)) return observe(helo, 'mismatch', { en: `is an address literal for ${literal[1]}, not the sending IP ${ip}`, zh: `是 ${literal[1]} 的地址字面量，不是发信 IP ${ip}` });
      return observe(helo, 'none', { en: 'is an address literal for the sending IP', zh: '是发信 IP 的地址字面量' });
    }
    if (isIP(helo)) return observe(helo, 'bare-ip', { en: 'is a bare IP address; RFC 5321 requires an FQDN or an address literal in brackets', zh: '是裸 IP 地址；RFC 5321 要求完整域名或方括号中的地址字面量' });
    const problem = domainProblem(helo);
    if (problem) return observe(helo, 'not-fqdn', { en: `is not a fully qualified domain name (${problem.en})`, zh: `不是完整域名（${problem.zh}）` });
    const [a, aaaa, ptr] = await Promise.all([dns.query(helo, 'A'), dns.query(helo, 'AAAA'), ip ? dns.query(reverseName(ip), 'PTR') : undefined]);
    const evidence = { [`A ${helo}`]: describeOutcome(a), [`AAAA ${helo}`]: describeOutcome(aaaa), ...(ptr && ip ? { [`PTR ${reverseName(ip)}`]: describeOutcome(ptr) } : {}) };
    const addresses = [...addressValues(a), ...addressValues(aaaa)];
    if (addresses.length === 0) {
      if (couldNotCheck(a) || couldNotCheck(aaaa)) return observe(helo, 'could-not-check', addressLookupFailed(outcomeProse(couldNotCheck(a) ? a : aaaa)), evidence);
      return observe(helo, 'does-not-resolve', { en: 'does not resolve to any address', zh: '不能解析到任何地址' }, evidence);
    }
    if (!ip) return observe(helo, 'none', { en: `resolves to ${addresses.join(', ')}`, zh: `解析到 ${addresses.join(', ')}` }, evidence);
    if (addresses.some((addr) => sameAddress(addr, ip))) return observe(helo, 'none', { en: `resolves to the sending IP ${ip}`, zh: `解析到发信 IP ${ip}` }, evidence);
    const ptrNames = ptr ? addressValues(ptr) : [];
    if (ptrNames.includes(helo.toLowerCase().replace(/\.$/, ''))) return observe(helo, 'none', { en: `is the PTR name of ${ip}`, zh: `是 ${ip} 的 PTR 名称` }, evidence);
    return observe(
      helo,
      'mismatch',
      { en: `resolves to ${addresses.join(', ')}, not to the sending IP ${ip}, and is not its PTR name`, zh: `解析到 ${addresses.join(', ')}，不是发信 IP ${ip}，也不是它的 PTR 名称` },
      evidence,
    );
  },
};
