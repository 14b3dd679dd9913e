import { createRequire } from 'node:module';
import type { DMARCOptions, DMARCResult } from 'mailauth';
import { txtValues, couldNotCheck, describeOutcome } from '../../dns/records.js';
import type { Check, Observation } from '../../engine/types.js';
import { domainOf } from '../../message/address.js';
import { organizationalDomain } from '../../message/organization.js';
import { parseTagList } from '../tag-list.js';
import { lintDmarc, reportDomain, reportUris } from './tags.js';

const require = createRequire(import.meta.url);
type Evaluation = { response: (DMARCResult & { error?: string; policyDomain?: string; rr?: string }) | false; reason?: string };
const { evaluateDmarc } = require('mailauth/lib/dmarc/index.js') as {
  evaluateDmarc: (opts: DMARCOptions & { resolver: unknown }) => Promise<Evaluation>;
};

/** RFC 9989 §4.10: the tree walk starts at no more than seven labels. */
const MAX_WALK_LABELS = 7;

function observe(kind: string, data: Observation['data'], evidence: Observation['evidence']): Observation {
  return { check: 'dmarc', kind, data, evidence };
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
  async run({ inputs, dns, observationsOf }) {
    const fromDomain = domainOf(inputs.from);
    // The policy does not depend on SPF or DKIM: fetch it, and the parents the RFC 9989 tree
    // walk will ask about, while they run (the cache keeps the answers for mailauth).
    const labels = fromDomain.split('.');
    for (let i = 0; i < labels.length && i < MAX_WALK_LABELS; i++) void dns.query(`_dmarc.${labels.slice(i).join('.')}`, 'TXT');
    const [spfObs, dkimObs] = await Promise.all([observationsOf('spf'), observationsOf('dkim')]);
    const spf = spfObs.find((o) => o.kind === 'result');
    const spfPassed = spf?.data.result === 'pass' ? [String(spf.data.domain)] : [];
    const signatures = dkimObs.filter((o) => o.kind === 'signature' && o.data.result !== 'none');
    const dkimPassed = signatures.filter((o) => o.data.result === 'pass').map((o) => ({ domain: String(o.data.domain) }));
    const { response } = await evaluateDmarc({
      headerFrom: inputs.from,
      spfDomains: spfPassed,
      dkimDomains: dkimPassed,
      resolver: dns.mailauthResolver(),
    });
    if (response === false) return [];
    const base = { fromDomain };
    const out: Observation[] = [];
    const result = response.status.result;
    if (result === 'temperror' && !response.rr) {
      return [observe('record', { ...base, status: 'could-not-check', outcome: response.error ?? 'DNS error' }, { error: response.error })];
    }
    if (!response.rr) {
      const broken = await brokenRecord(fromDomain, dns);
      if (broken) return [observe('record', { ...base, status: 'broken', location: broken.location, problem: broken.problem }, { location: broken.location, records: broken.records })];
      const looked = `_dmarc.${fromDomain}${organizationalDomain(fromDomain) !== fromDomain ? ` and _dmarc.${organizationalDomain(fromDomain)}` : ''}`;
      return [observe('record', { ...base, status: 'none', looked }, { looked })];
    }
    const location = `_dmarc.${response.policyDomain ?? fromDomain}`;
    // A broken set below where the policy was found was skipped by the walk: say so beside the policy that applies.
    const skipped = await brokenRecord(fromDomain, dns, location);
    if (skipped) out.push(observe('record', { ...base, status: 'broken', location: skipped.location, problem: skipped.problem }, { location: skipped.location, records: skipped.records }));
    out.push(observe('record', { ...base, status: 'found', location, policy: response.policy }, { location, record: response.rr, policy: response.policy, p: response.p, sp: response.sp, np: response.np }));
    const tags = parseTagList(response.rr);
    for (const lint of lintDmarc(tags)) out.push(observe('lint', { ...base, location, level: lint.level, problem: lint.problem }, { location, record: response.rr }));
    out.push(...(await reportAuthorizations(fromDomain, tags, dns)));

    // Alignment is only judged on something that was evaluated: an IP for SPF, or a verified signature.
    if (spf || signatures.length > 0) {
      const policyDomain = response.policyDomain ?? fromDomain;
      const rfc7489 = policyUnderRfc7489(tags, fromDomain !== policyDomain);
      const rfc9989 = String(response.policy ?? 'none');
      // A failure that rests on a lookup that failed is not a failure: nothing passed, but nothing could.
      const unevaluated = [
        ...(spf?.data.result === 'temperror' ? [`SPF for ${String(spf.data.domain)} could not be evaluated (temperror: ${String(spf.data.reason)})`] : []),
        ...signatures.filter((o) => o.data.result === 'temperror').map((o) => `the DKIM key of ${String(o.data.domain)} could not be fetched (temperror)`),
      ];
      const judged = result === 'fail' && unevaluated.length > 0 ? 'temperror' : result;
      out.push(
        observe(
          'evaluation',
          {
            ...base,
            result: judged,
            policy: rfc9989,
            policyRfc7489: rfc7489,
            spfResult: spf ? String(spf.data.result) : 'not evaluated',
            spfDomain: spf ? String(spf.data.domain) : '',
            reason: judged === 'temperror' && result === 'fail' ? unevaluated.join('; ') : (response.error ?? ''),
          },
          {
            location,
            record: response.rr,
            spf: spf ? { domain: spf.data.domain, result: spf.data.result } : 'not evaluated (no --ip)',
            dkim: signatures.map((s) => ({ domain: s.data.domain, result: s.data.result })),
            alignment: response.alignment,
            header: response.info,
          },
        ),
      );
    }
    return out;
  },
};

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
 * The policy a receiver implementing RFC 7489 applies: sp= for a subdomain (np= does
 * not exist there), and with pct=0 the next-lower policy (§6.6.4), since no failing
 * message is sampled in. An invalid or missing p= is p=none with a rua, else no DMARC.
 */
export function policyUnderRfc7489(tags: Map<string, string>, subdomain: boolean): string {
  const valid = (v: string | undefined) => (v === 'none' || v === 'quarantine' || v === 'reject' ? v : undefined);
  const p = valid(tags.get('p')?.toLowerCase());
  if (!p) return 'none';
  const applied = (subdomain ? valid(tags.get('sp')?.toLowerCase()) : undefined) ?? p;
  if (tags.get('pct')?.trim() === '0') return applied === 'reject' ? 'quarantine' : 'none';
  return applied;
}

/**
 * A record that exists but that receivers discard, found among the answers the tree
 * walk already fetched (up to `stopAt`, where a usable one was found): several records at
 * one name, or one without a valid p= and without a rua= (RFC 9989 §4.10; RFC 7489
 * §6.6.3). Worded as broken, never as missing.
 */
async function brokenRecord(fromDomain: string, dns: Parameters<Check['run']>[0]['dns'], stopAt?: string): Promise<{ location: string; problem: string; records: string[] } | null> {
  const labels = fromDomain.split('.');
  for (let i = 0; i < labels.length && i < MAX_WALK_LABELS; i++) {
    const location = `_dmarc.${labels.slice(i).join('.')}`;
    if (location === stopAt) return null;
    const records = txtValues(await dns.query(location, 'TXT')).filter((t) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(t.trim()));
    if (records.length > 1) return { location, records, problem: `${records.length} DMARC records at one name: receivers discard the set and apply no DMARC` };
    if (records.length === 1) {
      const tags = parseTagList(records[0]!);
      const p = tags.get('p');
      const why = p === undefined ? 'it has no p= tag' : `p=${p} is not none, quarantine or reject`;
      return { location, records, problem: `${why} and it names no rua=, so receivers apply no DMARC` };
    }
  }
  return null;
}
