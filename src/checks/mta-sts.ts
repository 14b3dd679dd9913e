/**
 * MTA-STS (RFC 8461) for the domain: its `_mta-sts` record, its policy fetched over HTTPS
 * from `mta-sts.<domain>` as a sending MTA would (verified certificate, 200, text/plain, no
 * redirect, 64 KB at most), and every MX matched against the policy. mailauth parses the
 * record and the policy and matches MX names; the fetch is presend's (net/https-get.ts), so
 * zones answer offline and --ca-file is trusted.
 */
import { certificateProblem } from '../net/certificate-errors.js';
import { hostAddress } from '../net/host-address.js';
import { couldNotCheck, mxHosts, outcomeProse, txtValues } from '../dns/records.js';
import type { DnsClient } from '../dns/client.js';
import type { Check, Observation, ProfileData } from '../engine/types.js';
import type { Prose } from '../prose.js';
import { mtaStsLibrary, type MtaStsPolicy } from './mailauth.js';

/** RFC 8461 §3.3 has senders stop reading a policy at 64 KB. */
const MAX_POLICY_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 10_000;
/** A policy kept for less than a day is re-fetched on nearly every delivery; RFC 8461 §3.2 suggests weeks. */
const SHORT_MAX_AGE = 86_400;


/**
 * A field given twice where RFC 8461 gives it one value (`id` in the record; `version`,
 * `mode`, `max_age` in the policy — only `mx` repeats): senders would read one or the
 * other. mailauth takes the last; presend calls it invalid, as checkdmarc does.
 */
function repeatedField(text: string, kind: 'record' | 'policy'): string | null {
  const single = kind === 'record' ? ['v', 'id'] : ['version', 'mode', 'max_age'];
  const names = (kind === 'record' ? text.split(';').map((f) => f.split('=')[0]) : text.split(/\r?\n/).map((l) => l.split(':')[0])).map((n) => (n ?? '').trim().toLowerCase());
  return single.find((name) => names.filter((n) => n === name).length > 1) ?? null;
}

/** The record's id, or false when it is not a valid MTA-STS record (mailauth's strict reading, and no field twice). */
export async function mtaStsRecordId(record: string): Promise<string | false> {
  if (repeatedField(record, 'record')) return false;
  const sts = await mtaStsLibrary();
  return sts.resolvePolicy('', { resolver: async () => [[record]], strict: true }).catch(() => false as const);
}

/** The policy as mailauth reads it strictly, after presend's own check that no single-valued field repeats; throws why not. */
export async function parseMtaStsPolicy(text: string): Promise<MtaStsPolicy> {
  const repeated = repeatedField(text, 'policy');
  if (repeated) throw new Error(`the ${repeated} field appears twice`);
  return (await mtaStsLibrary()).parsePolicy(text, { strict: true });
}

function observe(kind: string, domain: string, status: string, detail: Prose, evidence: Record<string, unknown>, extra: Observation['data'] = {}, undecided = false): Observation {
  // What could not be checked is one kind, whichever step it was: a profile speaks of it once.
  return { check: 'mta-sts', kind: undecided ? 'fault' : kind, data: { domain, status, ...extra }, prose: { detail }, evidence, ...(undecided ? { undecided: detail } : {}) };
}

type Fetched = { policy: MtaStsPolicy; text: string; tls: string | null } | { problem: Observation };

async function fetchPolicy(domain: string, dns: DnsClient, data: ProfileData, offline: boolean): Promise<Fetched> {
  const host = `mta-sts.${domain}`;
  const url = `https://${host}/.well-known/mta-sts.txt`;
  const found = await hostAddress(dns, host, offline);
  if (found.status === 'none') return { problem: observe('policy', domain, 'policy-unavailable', { en: `the record announces a policy but ${host} has no address`, zh: `记录声明了策略，但 ${host} 没有地址记录` }, { url }) };
  if (found.status !== 'address') return { problem: observe('policy', domain, 'could-not-check', { en: `${found.why.en}, for its policy`, zh: `${found.why.zh}，无法获取策略` }, { url, ...(found.status === 'offline' ? { address: found.address } : {}) }, {}, true) };
  const { address } = found;
  // Loaded when a domain has a policy to fetch: node:https (TLS) is no start-up cost of every run.
  const { httpsGet } = await import('../net/https-get.js');
  let got;
  try {
    got = await httpsGet({ host, path: '/.well-known/mta-sts.txt', address, ...(data.extraCa ? { extraCa: data.extraCa } : {}), timeoutMs: FETCH_TIMEOUT_MS, maxBytes: MAX_POLICY_BYTES + 1 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // A certificate that does not verify is the policy host's fault, seen alike by every sender; a connection that fails may be this network's.
    if (certificateProblem(e.code ?? '') !== null) {
      return { problem: observe('policy', domain, 'policy-unavailable', { en: `the certificate of ${host} does not verify (${e.code ?? e.message}): senders ignore the policy`, zh: `${host} 的证书验证失败（${e.code ?? e.message}）：发信方会忽略该策略` }, { url, address, error: e.code ?? e.message }) };
    }
    return { problem: observe('policy', domain, 'could-not-check', { en: `could not fetch ${url} (${e.code ?? e.message})`, zh: `无法获取 ${url}（${e.code ?? e.message}）` }, { url, address, error: e.code ?? e.message }, {}, true) };
  }
  const why: Prose | null =
    got.status >= 300 && got.status < 400
      ? { en: `${url} redirects (HTTP ${got.status} to ${got.location ?? '?'}); RFC 8461 §3.3 forbids following it`, zh: `${url} 发生重定向（HTTP ${got.status} 到 ${got.location ?? '?'}）；RFC 8461 §3.3 禁止跟随` }
      : got.status !== 200
        ? { en: `${url} answered HTTP ${got.status}`, zh: `${url} 返回 HTTP ${got.status}` }
        : !/^text\/plain\b/i.test(got.contentType)
          ? { en: `${url} is served as ${got.contentType || 'no type'}, not text/plain (RFC 8461 §3.2)`, zh: `${url} 的类型为 ${got.contentType || '空'}，而非 text/plain（RFC 8461 §3.2）` }
          : got.truncated || got.body.length > MAX_POLICY_BYTES
            ? { en: `${url} is larger than the 64 KB senders read`, zh: `${url} 超过发信方读取的 64 KB` }
            : null;
  if (why) return { problem: observe('policy', domain, 'policy-unavailable', { en: `${why.en}: senders treat the domain as having no policy`, zh: `${why.zh}：发信方视该域名为无策略` }, { url, status: got.status, contentType: got.contentType }) };
  const text = got.body.toString('utf8');
  try {
    return { policy: await parseMtaStsPolicy(text), text, tls: got.tlsProtocol };
  } catch (err) {
    const message = (err as Error).message;
    return { problem: observe('policy', domain, 'policy-invalid', { en: `the policy at ${url} is not valid (${message})`, zh: `${url} 的策略无效（mailauth：${message}）` }, { url, policy: text.slice(0, 500), error: message }) };
  }
}

export const mtaStsCheck: Check = {
  id: 'mta-sts',
  description: 'MTA-STS: the record, the policy over HTTPS, every MX covered by it (RFC 8461)',
  needsDns: true,
  skipReason: () => null,
  memoKey: (inputs) => inputs.domain,
  async run({ inputs, dns, data }) {
    const domain = inputs.domain;
    const name = `_mta-sts.${domain}`;
    const [txt, mx] = await Promise.all([dns.query(name, 'TXT'), dns.query(domain, 'MX')]);
    if (couldNotCheck(txt)) return [observe('record', domain, 'could-not-check', { en: `the ${name} lookup failed (${outcomeProse(txt).en})`, zh: `${name} 查询失败（${outcomeProse(txt).zh}）` }, { query: `TXT ${name}` }, {}, true)];
    const records = txtValues(txt).filter((t) => /^v=STSv1/i.test(t.trim()));
    if (records.length === 0) return [observe('record', domain, 'none', { en: `${domain} publishes no MTA-STS policy: mail to it may go without TLS, or to an impostor MX`, zh: `${domain} 未发布 MTA-STS 策略：发往该域名的邮件可能不加密，或被冒充的 MX 截收` }, { query: `TXT ${name}` })];
    if (records.length > 1) return [observe('record', domain, 'invalid-record', { en: `${name} has ${records.length} MTA-STS records; RFC 8461 §3.1 makes senders ignore them all`, zh: `${name} 有 ${records.length} 条 MTA-STS 记录；按 RFC 8461 §3.1，发信方会全部忽略` }, { records })];
    const id = await mtaStsRecordId(records[0]!);
    if (!id) return [observe('record', domain, 'invalid-record', { en: `${name} "${records[0]}" is not a valid MTA-STS record (v=STSv1; id=1 to 32 letters and digits)`, zh: `${name}“${records[0]}”不是有效的 MTA-STS 记录（v=STSv1; id=1 到 32 位字母数字）` }, { records })];
    const fetched = await fetchPolicy(domain, dns, data, inputs.offline);
    if ('problem' in fetched) return [fetched.problem];
    const { policy } = fetched;
    const sts = await mtaStsLibrary();
    const out: Observation[] = [
      observe('policy', domain, 'ok', { en: `mode ${policy.mode}, max_age ${policy.maxAge} s, mx ${(policy.mx ?? []).join(', ') || '—'}`, zh: `模式 ${policy.mode}，max_age ${policy.maxAge} 秒，mx ${(policy.mx ?? []).join('、') || '—'}` }, { id, policy: fetched.text.slice(0, 500), tls: fetched.tls }, { mode: policy.mode, maxAge: policy.maxAge, shortMaxAge: policy.mode !== 'none' && policy.maxAge < SHORT_MAX_AGE }),
    ];
    if (policy.mode === 'none' || couldNotCheck(mx)) return out;
    for (const exchange of mxHosts(mx)) {
      if (sts.validateMx(exchange, policy).valid) continue;
      out.push(observe('mx', domain, 'mx-not-covered', { en: `MX ${exchange} matches none of the policy's mx patterns (${(policy.mx ?? []).join(', ')})`, zh: `MX ${exchange} 不匹配策略中的任何 mx 模式（${(policy.mx ?? []).join('、')}）` }, { mx: exchange, patterns: policy.mx }, { mx: exchange, mode: policy.mode }));
    }
    return out;
  },
};
