/**
 * DANE for SMTP (RFC 7672), with `--mx-tls`: each MX host's TLSA records at
 * `_25._tcp.<host>`, validated by DNSSEC from the trust anchor, matched against the
 * certificate chain the host presents after STARTTLS (the same probe as mx-tls). A
 * secure TLSA set that matches nothing, a bogus TLSA lookup, or a host with TLSA records
 * and no STARTTLS: senders that validate DANE (Postfix and Exim with DANE on, Exchange
 * Online) defer the mail. TLSA records in an unsigned zone are ignored, as RFC 7672 §2.2
 * says — and presend says so.
 */
import { matchTlsa, tlsaText, type Tlsa } from '../dnssec/tlsa.js';
import { couldNotCheck, mxHosts, outcomeProse } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { hostAddress } from '../net/host-address.js';
import type { Prose } from '../prose.js';
import { dnssecCheck, validatorFor } from './dnssec.js';


export const daneCheck: Check = {
  id: 'dane',
  description: "DANE: each MX host's TLSA records, validated by DNSSEC, match the certificate it presents (--mx-tls)",
  needsDns: true,
  skipReason: (inputs, data) => dnssecCheck.skipReason(inputs, data),
  memoKey: (inputs) => inputs.domain,
  async run({ inputs, dns, data }) {
    const domain = inputs.domain;
    const observe = (mx: string, status: string, detail: Prose, evidence: Record<string, unknown>, undecided = false): Observation => ({
      check: 'dane',
      kind: undecided ? 'fault' : 'mx',
      data: { domain, mx, status },
      prose: { detail },
      evidence,
      ...(undecided ? { undecided: detail } : {}),
    });
    const mx = await dns.query(domain, 'MX');
    if (couldNotCheck(mx)) return [observe(domain, 'could-not-check', { en: `the MX lookup of ${domain} failed (${outcomeProse(mx).en})`, zh: `${domain} 的 MX 查询失败（${outcomeProse(mx).zh}）` }, { query: `MX ${domain}` }, true)];
    const validator = validatorFor(dns, data.trustAnchors);
    const { mxHostsToProbe, probeMx, SMTP_PORT } = await import('../net/starttls-probe.js');
    const hosts = mxHostsToProbe(mxHosts(mx));
    const observed = await Promise.all(
      hosts.map(async (host): Promise<Observation | null> => {
        const name = `_25._tcp.${host}`;
        const [tlsa, found] = await Promise.all([validator.validate(name, 'TLSA'), hostAddress(dns, host, inputs.offline)]);
        const s = tlsa.security;
        if (s.status === 'could-not-check') return observe(host, 'could-not-check', { en: `TLSA ${name}: ${s.why.en}`, zh: `TLSA ${name}：${s.why.zh}` }, { query: `TLSA ${name}` }, true);
        if (s.status === 'bogus') return observe(host, 'bogus', { en: `the TLSA lookup for ${host} is bogus (${s.why.en})`, zh: `${host} 的 TLSA 查询为 bogus（${s.why.zh}）` }, { query: `TLSA ${name}`, brokenLink: s.link });
        if (tlsa.outcome !== 'answer') return null;
        const records = (tlsa.records ?? []) as Tlsa[];
        const shown = records.map(tlsaText);
        if (s.status === 'insecure') return observe(host, 'ignored', { en: `${name} has TLSA records (${shown.join('; ')}), but its zone is not signed (${s.why.en}): senders ignore them`, zh: `${name} 有 TLSA 记录（${shown.join('；')}），但其区域未签名（${s.why.zh}）：发信方会忽略它们` }, { tlsa: shown, unsignedAt: s.at });
        if (found.status !== 'address') return observe(host, 'could-not-check', found.status === 'none' ? { en: `${host} has no address to connect to`, zh: `${host} 没有可连接的地址` } : found.why, { query: `A ${host}` }, true);
        const { address } = found;
        const probe = await probeMx(host, address, data.extraCa);
        const evidence = { tlsa: shown, address, port: SMTP_PORT };
        if (probe.status === 'unreachable' || probe.status === 'refused') return observe(host, 'could-not-check', { en: `${host} (${address}) could not be asked: ${probe.detail ?? probe.status}`, zh: `无法询问 ${host}（${address}），详见证据` }, { ...evidence, detail: probe.detail }, true);
        if (probe.status !== 'tls' || !probe.chain) return observe(host, 'no-tls', { en: `${host} publishes TLSA records but ${probe.status === 'no-starttls' ? 'offers no STARTTLS' : 'fails the TLS handshake'} (${probe.detail})`, zh: `${host} 发布了 TLSA 记录，但${probe.status === 'no-starttls' ? '不提供 STARTTLS' : 'TLS 握手失败'}` }, { ...evidence, detail: probe.detail });
        const match = matchTlsa(records, probe.chain, host);
        const presented = probe.fingerprints ?? [];
        if (match.status === 'match') return observe(host, 'ok', { en: `${host}'s certificate matches TLSA ${match.record}`, zh: `${host} 的证书与 TLSA ${match.record} 匹配` }, { ...evidence, matched: match.record, presented });
        if (match.status === 'unusable') return observe(host, 'unusable', { en: `${name} holds no record an SMTP client may use (${shown.join('; ')}): usages 0 and 1 (PKIX) and unknown selectors or matching types are unusable for SMTP (RFC 7672 §3.1.3)`, zh: `${name} 没有 SMTP 客户端可用的记录（${shown.join('；')}）：用途 0 和 1（PKIX）以及未知的选择器或匹配类型不可用于 SMTP（RFC 7672 §3.1.3）` }, { ...evidence, presented });
        return observe(host, 'mismatch', { en: `no TLSA record of ${name} (${shown.join('; ')}) matches the certificate ${host} presents`, zh: `${name} 的 TLSA 记录（${shown.join('；')}）与 ${host} 出示的证书都不匹配` }, { ...evidence, presented });
      }),
    );
    return observed.filter((o): o is Observation => o !== null);
  },
};
