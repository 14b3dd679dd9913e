/**
 * STARTTLS on every MX of the domain (`--mx-tls`, opt-in: port 25 is blocked on many
 * networks): each MX probed at once, as a sending MTA meets it (net/starttls-probe.ts) —
 * STARTTLS offered, the certificate's chain, its name, its expiry, the protocol. An MX that
 * cannot be reached is "could not check", never "no TLS".
 */
import { couldNotCheck, mxHosts, outcomeProse } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { hostAddress } from '../net/host-address.js';
import type { StarttlsProbe } from '../net/starttls-probe.js';
import type { Prose } from '../prose.js';

/** A certificate this close to its end is a warning: renewal has failed or is late. */
const EXPIRY_WARNING_DAYS = 14;


/** What is wrong with the TLS an MX offered, worst first, or null. */
function tlsProblem(mx: string, p: StarttlsProbe): { status: string; detail: Prose } | null {
  if (p.certificateProblem === 'untrusted') return { status: 'untrusted', detail: { en: `its certificate does not chain to a trusted CA (${p.trustError})`, zh: `其证书无法链到受信任的 CA（${p.trustError}）` } };
  if (p.certificateProblem === 'name-mismatch') return { status: 'name-mismatch', detail: { en: `its certificate does not name ${mx} (${p.trustError})`, zh: `其证书不包含 ${mx}（${p.trustError}）` } };
  if (p.certificateProblem === 'expired') return { status: 'expired', detail: { en: `its certificate is outside its validity dates (${p.trustError})`, zh: `其证书不在有效期内（${p.trustError}）` } };
  if (p.daysLeft !== undefined && p.daysLeft < EXPIRY_WARNING_DAYS) return { status: 'expiring', detail: { en: `its certificate expires in ${p.daysLeft} day(s) (${p.validTo})`, zh: `其证书将在 ${p.daysLeft} 天后过期（${p.validTo}）` } };
  if (p.protocol && !/^TLSv1\.[23]$/.test(p.protocol)) return { status: 'old-protocol', detail: { en: `it negotiated ${p.protocol}; TLS 1.2 or later is expected (RFC 8996)`, zh: `协商的是 ${p.protocol}；应为 TLS 1.2 或更高（RFC 8996）` } };
  return null;
}

export const mxTlsCheck: Check = {
  id: 'mx-tls',
  description: 'STARTTLS on every MX: offered, a trusted certificate naming the MX, not expiring, TLS 1.2 or later (--mx-tls)',
  needsDns: true,
  after: ['mta-sts'],
  skipReason: () => null,
  memoKey: (inputs, dependencies) => `${inputs.domain}\u0000${dependencies.map((o) => String(o.data.mode ?? '')).join(',')}`,
  async run({ inputs, dns, data, observationsOf }) {
    const domain = inputs.domain;
    // Under an enforced MTA-STS policy a certificate that does not verify stops delivery: senders that honour it give up.
    const stsMode = (await observationsOf('mta-sts')).find((o) => o.kind === 'policy' && o.data.status === 'ok')?.data.mode ?? null;
    const observe = (mx: string, status: string, detail: Prose, evidence: Record<string, unknown>, undecided = false): Observation => ({
      check: 'mx-tls',
      kind: undecided ? 'fault' : 'mx',
      data: { domain, mx, status, stsMode: typeof stsMode === 'string' ? stsMode : null },
      prose: { detail },
      evidence,
      ...(undecided ? { undecided: detail } : {}),
    });
    const mx = await dns.query(domain, 'MX');
    if (couldNotCheck(mx)) return [observe(domain, 'could-not-check', { en: `the MX lookup of ${domain} failed (${outcomeProse(mx).en})`, zh: `${domain} 的 MX 查询失败（${outcomeProse(mx).zh}）` }, { query: `MX ${domain}` }, true)];
    const { mxHostsToProbe, probeMx, SMTP_PORT } = await import('../net/starttls-probe.js');
    const hosts = mxHostsToProbe(mxHosts(mx));
    return Promise.all(
      hosts.map(async (host): Promise<Observation> => {
        const found = await hostAddress(dns, host, inputs.offline);
        if (found.status !== 'address') return observe(host, 'could-not-check', found.status === 'none' ? { en: `${host} has no address to connect to`, zh: `${host} 没有可连接的地址` } : found.why, { query: `A ${host}` }, true);
        const { address } = found;
        const { chain: _chain, ...probe } = await probeMx(host, address, data.extraCa);
        const evidence = { address, port: SMTP_PORT, ...probe };
        // The probe's detail (the step and the server's words) stays in the evidence: it is the server's text, not prose.
        if (probe.status === 'unreachable' || probe.status === 'refused') return observe(host, 'could-not-check', { en: `${host} (${address}) could not be asked: ${probe.detail ?? probe.status}`, zh: `无法询问 ${host}（${address}），详见证据` }, evidence, true);
        if (probe.status === 'no-starttls') return observe(host, 'no-starttls', { en: `${host} offers no STARTTLS (${probe.detail}): mail to it travels in clear text`, zh: `${host} 不提供 STARTTLS：发往它的邮件以明文传输` }, evidence);
        if (probe.status === 'tls-failed') return observe(host, 'tls-failed', { en: `${host} offers STARTTLS but the handshake fails (${probe.detail})`, zh: `${host} 提供 STARTTLS，但握手失败` }, evidence);
        const problem = tlsProblem(host, probe);
        if (problem) return observe(host, problem.status, { en: `${host}: ${problem.detail.en}`, zh: `${host}：${problem.detail.zh}` }, evidence);
        return observe(host, 'ok', { en: `${host}: ${probe.protocol}, certificate for ${probe.subject} by ${probe.issuer}, ${probe.daysLeft} days left`, zh: `${host}：${probe.protocol}，证书 ${probe.subject}（${probe.issuer} 签发），剩余 ${probe.daysLeft} 天` }, evidence);
      }),
    );
  },
};
