/**
 * Every authoritative nameserver of the domain asked directly for the records mail depends
 * on — SPF, DMARC, MTA-STS, TLS-RPT, BIMI and the DKIM keys of the selectors given — and
 * their answers compared: a server still serving an old record answers some receivers with
 * it until the change has spread. The largest TTL seen says when a change is safe to rely on.
 */
import { DnsClient } from '../dns/client.js';
import { addressValues, couldNotCheck, describeOutcome, outcomeProse, txtValues, type DnsOutcome } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { hostAddress } from '../net/host-address.js';
import type { Prose } from '../prose.js';

const MAX_NAMESERVERS = 8;
const QUERY_TIMEOUT_MS = 3000;

/** An answer as compared across servers: the TXT strings in order, or what the server said instead. */
function comparable(outcome: DnsOutcome): string {
  if (outcome.status === 'answer') return txtValues(outcome).sort().join(' | ') || '(no TXT)';
  return outcome.status === 'nxdomain' ? 'NXDOMAIN' : outcome.status === 'nodata' ? 'no record' : `could not ask (${outcome.status})`;
}

export const nsConsistencyCheck: Check = {
  id: 'ns-consistency',
  description: "Every authoritative nameserver serves the same SPF, DMARC, MTA-STS, TLS-RPT, BIMI and DKIM records",
  needsDns: true,
  skipReason: () => null,
  memoKey: (inputs) => `${inputs.domain}\u0000${inputs.dkimSelectors.join(',')}`,
  async run({ inputs, dns }) {
    const domain = inputs.domain;
    const observe = (kind: string, status: string, detail: Prose, evidence: Record<string, unknown>, extra: Observation['data'] = {}, undecided = false): Observation => ({
      check: 'ns-consistency',
      kind: undecided ? 'fault' : kind,
      data: { domain, status, ...extra },
      prose: { detail },
      evidence,
      ...(undecided ? { undecided: detail } : {}),
    });
    const ns = await dns.query(domain, 'NS');
    if (couldNotCheck(ns)) return [observe('ns', 'could-not-check', { en: `the NS lookup of ${domain} failed (${outcomeProse(ns).en})`, zh: `${domain} 的 NS 查询失败（${outcomeProse(ns).zh}）` }, { query: `NS ${domain}`, answer: describeOutcome(ns) }, {}, true)];
    // A subdomain without NS records of its own is served by its parent's servers, which other checks already read.
    const hosts = addressValues(ns).slice(0, MAX_NAMESERVERS);
    if (hosts.length < 2) return [];
    const servers = await Promise.all(hosts.map(async (host) => ({ host, found: await hostAddress(dns, host, inputs.offline) })));
    const reachable = servers.flatMap((s) => (s.found.status === 'address' ? [{ host: s.host, address: s.found.address }] : []));
    const skipped = servers.filter((s) => s.found.status !== 'address').map((s) => ({ host: s.host, address: s.found.status === 'offline' ? s.found.address : undefined }));
    const names = [domain, `_dmarc.${domain}`, `_mta-sts.${domain}`, `_smtp._tls.${domain}`, `default._bimi.${domain}`, ...inputs.dkimSelectors.map((s) => `${s}._domainkey.${domain}`)];
    const answers = await Promise.all(
      reachable.map(async (server) => {
        const client = new DnsClient({ servers: [server.address.includes(':') ? `[${server.address}]:53` : `${server.address}:53`], timeoutMs: QUERY_TIMEOUT_MS, tries: 2, offline: false, budget: names.length * 2 });
        try {
          return { server, outcomes: await Promise.all(names.map((n) => client.query(n, 'TXT'))) };
        } finally {
          client.close();
        }
      }),
    );
    const out: Observation[] = [];
    if (skipped.length > 0) {
      const list = skipped.map((s) => `${s.host}${s.address ? ` (${s.address})` : ''}`).join(', ');
      out.push(observe('ns', 'could-not-check', { en: `not every nameserver could be asked: ${list}${inputs.offline ? ' (--offline asks loopback addresses only)' : ' (no address)'}`, zh: `并非每台域名服务器都能询问：${list}${inputs.offline ? '（--offline 只询问回环地址）' : '（无地址）'}` }, { skipped: list }, {}, true));
    }
    if (answers.length < 2) return out;
    let largestTtl = 0;
    for (const { outcomes } of answers) for (const o of outcomes) if (o.status === 'answer' && o.ttl !== undefined) largestTtl = Math.max(largestTtl, o.ttl);
    names.forEach((name, i) => {
      const seen = answers.map(({ server, outcomes }) => ({ server: server.host, answer: comparable(outcomes[i]!) }));
      const asked = seen.filter((s) => !s.answer.startsWith('could not ask'));
      if (new Set(asked.map((s) => s.answer)).size <= 1) return;
      const shown = seen.map((s) => `${s.server}: ${s.answer}`).join('; ');
      out.push(observe('record', 'disagree', { en: `the nameservers of ${domain} answer TXT ${name} differently (${shown}); receivers get either until the change spreads — up to ${largestTtl} s (the largest TTL served)`, zh: `${domain} 的各域名服务器对 TXT ${name} 的回答不一致（${shown}）；在变更同步之前，收件方会得到其中任意一个——最长 ${largestTtl} 秒（所见最大 TTL）` }, { name, answers: Object.fromEntries(seen.map((s) => [s.server, s.answer])), largestTtl }, { name, largestTtl }));
    });
    return out;
  },
};
