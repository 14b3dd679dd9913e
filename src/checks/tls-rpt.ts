/**
 * SMTP TLS reporting (RFC 8460): one `v=TLSRPTv1` record at `_smtp._tls.<domain>` whose
 * `rua` lists only mailto: and https: addresses. Without it, a domain that enforces
 * MTA-STS never hears of the senders its policy turns away.
 */
import { couldNotCheck, outcomeProse, txtValues } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import type { Prose } from '../prose.js';

function observe(domain: string, status: string, detail: Prose, evidence: Record<string, unknown>, stsMode: string | null, undecided = false): Observation {
  return { check: 'tls-rpt', kind: undecided ? 'fault' : 'record', data: { domain, status, stsMode }, prose: { detail }, evidence, ...(undecided ? { undecided: detail } : {}) };
}

/** What is wrong with a TLSRPTv1 record, or null (RFC 8460 §3: `v=TLSRPTv1; rua=<uri>[,<uri>]`). */
export function tlsRptProblem(record: string): Prose | null {
  const fields = record.split(';').map((f) => f.trim()).filter(Boolean);
  if (fields[0] !== 'v=TLSRPTv1') return { en: 'it does not begin with v=TLSRPTv1', zh: '不以 v=TLSRPTv1 开头' };
  const rua = fields.find((f) => /^rua=/i.test(f));
  if (!rua) return { en: 'it has no rua= field', zh: '缺少 rua= 字段' };
  const uris = rua.slice(4).split(',').map((u) => u.trim());
  const bad = uris.find((u) => !/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u));
  return bad !== undefined ? { en: `rua ${JSON.stringify(bad)} is neither a mailto: nor an https: address`, zh: `rua ${JSON.stringify(bad)} 既不是 mailto: 也不是 https: 地址` } : null;
}

export const tlsRptCheck: Check = {
  id: 'tls-rpt',
  description: 'SMTP TLS reporting: one valid v=TLSRPTv1 record (RFC 8460)',
  needsDns: true,
  after: ['mta-sts'],
  skipReason: () => null,
  memoKey: (inputs, dependencies) => `${inputs.domain}\u0000${dependencies.map((o) => String(o.data.mode ?? '')).join(',')}`,
  async run({ inputs, dns, observationsOf }) {
    const domain = inputs.domain;
    const name = `_smtp._tls.${domain}`;
    const [txt, sts] = await Promise.all([dns.query(name, 'TXT'), observationsOf('mta-sts')]);
    const stsMode = sts.find((o) => o.kind === 'policy' && o.data.status === 'ok')?.data.mode;
    const mode = typeof stsMode === 'string' ? stsMode : null;
    if (couldNotCheck(txt)) return [observe(domain, 'could-not-check', { en: `the ${name} lookup failed (${outcomeProse(txt).en})`, zh: `${name} 查询失败（${outcomeProse(txt).zh}）` }, { query: `TXT ${name}` }, mode, true)];
    const records = txtValues(txt).filter((t) => /^v=TLSRPTv1/i.test(t.trim()));
    if (records.length === 0) {
      return [observe(domain, 'none', { en: `${domain} publishes no TLS-RPT record: it never hears of senders that could not deliver over TLS`, zh: `${domain} 未发布 TLS-RPT 记录：无从得知发信方无法以 TLS 投递的情况` }, { query: `TXT ${name}` }, mode)];
    }
    if (records.length > 1) return [observe(domain, 'invalid', { en: `${name} has ${records.length} TLSRPTv1 records; RFC 8460 §3 allows one`, zh: `${name} 有 ${records.length} 条 TLSRPTv1 记录；RFC 8460 §3 只允许一条` }, { records }, mode)];
    const problem = tlsRptProblem(records[0]!.trim());
    if (problem) return [observe(domain, 'invalid', { en: `${name} "${records[0]}" is not valid: ${problem.en}`, zh: `${name}“${records[0]}”无效：${problem.zh}` }, { record: records[0] }, mode)];
    return [observe(domain, 'ok', { en: `reports go to ${records[0]!.replace(/^.*rua=/i, '')}`, zh: `报告发往 ${records[0]!.replace(/^.*rua=/i, '')}` }, { record: records[0] }, mode)];
  },
};
