import { txtValues, couldNotCheck, describeOutcome, outcomeProse, type FailedOutcome } from '../../dns/records.js';
import type { Check, Observation } from '../../engine/types.js';
import { domainOf } from '../../message/address.js';
import { isPublicSuffix, organizationalDomain } from '../../message/organization.js';
import { joinProse, type Prose } from '../../prose.js';
import { dmarcEvaluator } from '../mailauth.js';
import { parseTagList } from '../tag-list.js';
import { appliedPolicy, readRfc7489, type Rfc7489Reading } from './rfc7489.js';
import { lintDmarc, reportDomain, reportUris } from './tags.js';

/** RFC 9989 §4.10: the tree walk starts at no more than seven labels. */
const MAX_WALK_LABELS = 7;

function observe(kind: string, data: Observation['data'], evidence: Observation['evidence'], prose?: Record<string, Prose>): Observation {
  // A record that could not be read, or an evaluation that rests on a lookup that failed.
  const undecided = data.status === 'could-not-check' ? prose?.outcome : data.result === 'temperror' ? prose?.reason : undefined;
  return { check: 'dmarc', kind, data, ...(prose ? { prose } : {}), evidence, ...(undecided ? { undecided } : {}) };
}

/**
 * DMARC for the header From: where the policy is (RFC 9989 tree walk, as mailauth
 * does it), what a reviewer would say of it, and — once SPF or DKIM was evaluated —
 * whether the message passes aligned.
 */
export const dmarcCheck: Check = {
  id: 'dmarc',
  description: 'The From domain has a DMARC policy and the mail passes it aligned',
  needsDns: true,
  after: ['spf', 'dkim'],
  skipReason: (inputs) => (inputs.from ? null : 'no header From'),
  // The policy is the From domain's; the evaluation rests on the domains SPF and DKIM judged and their results.
  memoKey: (inputs, dependencies) => [inputs.from, ...dependencies.map((o) => `${o.check}:${o.kind}:${String(o.data.domain)}:${String(o.data.result)}`)].join('\u0000'),
  async run({ inputs, dns, observationsOf }) {
    const fromDomain = domainOf(inputs.from);
    // The policy does not depend on SPF or DKIM: fetch it, and the parents the RFC 9989 tree
    // walk will ask about, while they run (the cache keeps the answers for mailauth).
    const labels = fromDomain.split('.');
    for (let i = 0; i < labels.length && i < MAX_WALK_LABELS; i++) void dns.query(`_dmarc.${labels.slice(i).join('.')}`, 'TXT');
    // mailauth's DMARC module loads while SPF and DKIM run, not after them.
    const evaluatorLoaded = dmarcEvaluator();
    // Awaited below; a failure to load must not end the process as an unhandled rejection meanwhile.
    evaluatorLoaded.catch(() => undefined);
    const [spfObs, dkimObs] = await Promise.all([observationsOf('spf'), observationsOf('dkim')]);
    const spf = spfObs.find((o) => o.kind === 'result');
    const spfPassed = spf?.data.result === 'pass' ? [String(spf.data.domain)] : [];
    const signatures = dkimObs.filter((o) => o.kind === 'signature' && o.data.result !== 'none');
    const dkimPassed = signatures.filter((o) => o.data.result === 'pass').map((o) => ({ domain: String(o.data.domain) }));
    const failures: FailedOutcome[] = [];
    const evaluate = await evaluatorLoaded;
    const { response } = await evaluate({
      headerFrom: inputs.from,
      spfDomains: spfPassed,
      dkimDomains: dkimPassed,
      resolver: dns.mailauthResolver(failures),
    });
    if (response === false) return [];
    const base = { fromDomain };
    const out: Observation[] = [];
    const result = response.status.result;
    if (result === 'temperror' && !response.rr) {
      // The lookup that failed, said in the reader's language (mailauth's error names only its detail).
      const failed = failures.find((f) => response.error?.includes(f.detail));
      const error = response.error ?? 'DNS error';
      const outcome = failed ? { en: error, zh: outcomeProse(failed).zh } : { en: error, zh: `DNS 错误（${error}）` };
      return [observe('record', { ...base, status: 'could-not-check' }, { error: response.error }, { outcome })];
    }
    if (!response.rr) {
      const broken = await brokenRecord(fromDomain, dns);
      if (broken) return [observe('record', { ...base, status: 'broken', location: broken.location }, { location: broken.location, records: broken.records }, { problem: broken.problem })];
      const org = organizationalDomain(fromDomain);
      const names = [`_dmarc.${fromDomain}`, ...(org !== fromDomain ? [`_dmarc.${org}`] : [])];
      const looked = joinProse(names.map((n) => ({ en: n, zh: n })), { en: ' and ', zh: ' 和 ' });
      return [observe('record', { ...base, status: 'none' }, { looked: looked.en }, { looked })];
    }
    const location = `_dmarc.${response.policyDomain ?? fromDomain}`;
    // A broken set below where the policy was found was skipped by the walk: say so beside the policy that applies.
    const skipped = await brokenRecord(fromDomain, dns, location);
    if (skipped) out.push(observe('record', { ...base, status: 'broken', location: skipped.location }, { location: skipped.location, records: skipped.records }, { problem: skipped.problem }));
    out.push(observe('record', { ...base, status: 'found', location, policy: response.policy }, { location, record: response.rr, policy: response.policy, p: response.p, sp: response.sp, np: response.np }));
    const tags = parseTagList(response.rr);
    for (const lint of lintDmarc(tags)) out.push(observe('lint', { ...base, location, level: lint.level }, { location, record: response.rr }, { problem: lint.problem }));
    const suffix = location.slice('_dmarc.'.length);
    if (isPublicSuffix(suffix) && tags.get('psd')?.trim().toLowerCase() !== 'y') {
      out.push(observe('lint', { ...base, location, level: 'warning' }, { location, record: response.rr }, { problem: publicSuffixRecord(suffix) }));
    }
    out.push(...(await reportAuthorizations(fromDomain, tags, dns)));

    // Alignment is only judged on something that was evaluated: an IP for SPF, or a verified signature.
    if (spf || signatures.length > 0) {
      const rfc7489 = await readRfc7489(fromDomain, spfPassed, dkimPassed.map((d) => d.domain), dns);
      const rfc9989 = String(response.policy ?? 'none');
      // A failure that rests on a lookup that failed is not a failure: nothing passed, but nothing could.
      const unevaluated: Prose[] = [
        ...(spf?.data.result === 'temperror' ? [spfUnevaluated(String(spf.data.domain), spf.prose?.reason)] : []),
        ...signatures
          .filter((o) => o.data.result === 'temperror')
          .map((o) => ({ en: `the DKIM key of ${String(o.data.domain)} could not be fetched (temperror)`, zh: `无法获取 ${String(o.data.domain)} 的 DKIM 密钥（temperror）` })),
      ];
      const judged = result === 'fail' && unevaluated.length > 0 ? 'temperror' : result;
      const judged7489 = rfc7489.result === 'fail' && unevaluated.length > 0 ? 'temperror' : rfc7489.result;
      out.push(
        observe(
          'evaluation',
          {
            ...base,
            result: judged,
            policy: rfc9989,
            resultRfc7489: judged7489,
            policyRfc7489: rfc7489.policy,
            spfResult: spf ? String(spf.data.result) : 'not evaluated',
            spfDomain: spf ? String(spf.data.domain) : '',
          },
          {
            location,
            record: response.rr,
            spf: spf ? { domain: spf.data.domain, result: spf.data.result } : 'not evaluated (no --ip)',
            dkim: signatures.map((s) => ({ domain: s.data.domain, result: s.data.result })),
            alignment: response.alignment,
            header: response.info,
          },
          {
            reason: judged === 'temperror' && result === 'fail' ? joinProse(unevaluated) : { en: response.error ?? '', zh: response.error ?? '' },
            readings: readings(rfc7489, judged, rfc9989),
          },
        ),
      );
    }
    return out;
  },
};

/** What RFC 9989 makes of the same message, beside the RFC 7489 reading a rule states. */
function readings(rfc7489: Rfc7489Reading, result9989: string, policy9989: string): Prose {
  const r7489 = rfc7489.result === 'none' ? { en: 'no DMARC applies', zh: '不适用 DMARC' } : { en: `p=${rfc7489.policy}, ${rfc7489.result}`, zh: `p=${rfc7489.policy}，${rfc7489.result}` };
  const same = rfc7489.result === result9989 && rfc7489.policy === policy9989;
  return same
    ? { en: `RFC 7489 and RFC 9989 read it alike: ${r7489.en}`, zh: `RFC 7489 与 RFC 9989 结论相同：${r7489.zh}` }
    : { en: `RFC 7489: ${r7489.en}; RFC 9989: p=${policy9989}, ${result9989}`, zh: `RFC 7489：${r7489.zh}；RFC 9989：p=${policy9989}，${result9989}` };
}

/** A record at a public suffix without psd=y, which RFC 9989's walk takes for an organization's. */
function publicSuffixRecord(suffix: string): Prose {
  return {
    en: `this record sits at ${suffix}, a public suffix, and has no psd=y: RFC 9989's tree walk takes ${suffix} for your organization, so any other ${suffix} domain aligns with yours; RFC 7489 (Public Suffix List) applies no DMARC from it`,
    zh: `该记录位于公共后缀 ${suffix}，且没有 psd=y：RFC 9989 的树状查找会把 ${suffix} 当作你的组织域，于是任何其他 ${suffix} 域名都与你对齐；RFC 7489（公共后缀列表）不会据此执行 DMARC`,
  };
}

function spfUnevaluated(domain: string, reason: Prose | undefined): Prose {
  const why = reason ?? { en: '', zh: '' };
  return { en: `SPF for ${domain} could not be evaluated (temperror: ${why.en})`, zh: `无法评估 ${domain} 的 SPF（temperror：${why.zh}）` };
}

/** RFC 7489 §7.1: a report domain outside the From's organization must publish <from>._report._dmarc.<it>. */
async function reportAuthorizations(fromDomain: string, tags: Map<string, string>, dns: Parameters<Check['run']>[0]['dns']): Promise<Observation[]> {
  const org = organizationalDomain(fromDomain);
  const external = [...new Set([...reportUris(tags.get('rua')), ...reportUris(tags.get('ruf'))].map(reportDomain))].filter(
    (d): d is string => d !== null && organizationalDomain(d) !== org,
  );
  const checks = external.map(async (reportDomainName) => {
    const record = `${fromDomain}._report._dmarc.${reportDomainName}`;
    const outcome = await dns.query(record, 'TXT');
    if (couldNotCheck(outcome)) return [];
    const authorized = txtValues(outcome).some((t) => /^v=DMARC1/i.test(t.trim()));
    return authorized
      ? []
      : [observe('report-authorization', { fromDomain, reportDomain: reportDomainName, authorized: false, record, status: outcome.status }, { query: `TXT ${record}`, answer: describeOutcome(outcome) })];
  });
  return (await Promise.all(checks)).flat();
}

/**
 * A record that exists but that receivers discard, found among the answers the tree
 * walk already fetched (up to `stopAt`, where a usable one was found): several records at
 * one name, or one without a valid p= and without a rua= (RFC 9989 §4.10; RFC 7489
 * §6.6.3). Worded as broken, never as missing.
 */
async function brokenRecord(fromDomain: string, dns: Parameters<Check['run']>[0]['dns'], stopAt?: string): Promise<{ location: string; problem: Prose; records: string[] } | null> {
  const labels = fromDomain.split('.');
  for (let i = 0; i < labels.length && i < MAX_WALK_LABELS; i++) {
    const location = `_dmarc.${labels.slice(i).join('.')}`;
    if (location === stopAt) return null;
    const records = txtValues(await dns.query(location, 'TXT')).filter((t) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(t.trim()));
    if (records.length > 1) {
      return {
        location,
        records,
        problem: {
          en: `${records.length} DMARC records at one name: RFC 7489 receivers apply no DMARC (§6.6.3 step 5); RFC 9989 receivers discard the set and walk on to a record above it`,
          zh: `同一名称下有 ${records.length} 条 DMARC 记录：按 RFC 7489 收件方不执行 DMARC（§6.6.3 第 5 步）；按 RFC 9989 收件方丢弃整组记录，继续向上查找`,
        },
      };
    }
    if (records.length === 1) {
      const tags = parseTagList(records[0]!);
      // A valid record the walk passed by (one for eu.corp.com, met on the way from mail.eu.corp.com) is not broken.
      if (appliedPolicy(tags, false) !== null) continue;
      const p = tags.get('p');
      const sp = tags.get('sp');
      const why: Prose =
        p === undefined
          ? { en: 'it has no p= tag', zh: '没有 p= 标签' }
          : !['none', 'quarantine', 'reject'].includes(p.trim().toLowerCase())
            ? { en: `p=${p} is not none, quarantine or reject`, zh: `p=${p} 不是 none、quarantine 或 reject` }
            : { en: `sp=${sp ?? ''} is not none, quarantine or reject`, zh: `sp=${sp ?? ''} 不是 none、quarantine 或 reject` };
      return { location, records, problem: { en: `${why.en} and it names no rua=, so receivers apply no DMARC (RFC 7489 §6.6.3 step 6, RFC 9989 §4.10.1)`, zh: `${why.zh}，且没有 rua=，因此收件方不执行 DMARC（RFC 7489 §6.6.3 第 6 步、RFC 9989 §4.10.1）` } };
    }
  }
  return null;
}
