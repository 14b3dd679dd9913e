import { nowMs } from '../clock.js';
import type { DnsClient } from '../dns/client.js';
import type { Profile } from '../profile/load.js';
import type { ProfileRule } from '../profile/schema.js';
import { UsageError } from '../errors.js';
import { effectiveLimits, ruleMatches, toFinding, type MatchContext } from './match.js';
import { severityRank, verdictOf } from './verdict.js';
import { findingLine } from '../message/locate.js';
import { outcomeProse } from '../dns/records.js';
import { notesIn, skipReasonIn } from './notes.js';
import type { ObservationMemo } from './memo.js';
import { applyPolicy, type Policy } from './policy.js';
import { ENGINE_RULES, type Check, type CheckRecord, type Finding, type Inputs, type Lang, type Observation, type ProfileData, type Report, type SourceLocation } from './types.js';

export interface RunOptions {
  /** The providers whose rules judge the observations: each finding carries its provider. */
  profiles: readonly Profile[];
  checks: readonly Check[];
  dns: DnsClient;
  lang: Lang;
  data: ProfileData;
  /** False for --offline without zones: checks that need DNS are skipped, not failed. */
  dnsAvailable: boolean;
  policy?: Policy;
  /** Observations shared with the other targets of the session (checks with a memo key). */
  memo?: ObservationMemo;
}

/** A profile rule naming a check that does not exist would silently never fire. */
export function assertRulesNameChecks(profile: Profile, checks: readonly Check[]): void {
  const ids = new Set(checks.map((c) => c.id));
  profile.rules.forEach((rule, i) => {
    if (!ids.has(rule.check)) throw new UsageError(`${profile.file}: rules[${i}].check (${rule.id}): no check is called "${rule.check}"`);
  });
}

const rulesIndex = new WeakMap<Profile, Map<string, ProfileRule[]>>();
/** Findings of observations that other targets share (from the memo), held as long as the observations are. */
const matchedBefore = new WeakMap<Observation, Map<string, Finding[]>>();

/** A profile's rules by the check and kind they read, in profile order: an observation is matched against its own rules only. */
function rulesByObservation(profile: Profile): Map<string, ProfileRule[]> {
  let index = rulesIndex.get(profile);
  if (!index) {
    index = new Map();
    for (const rule of profile.rules) {
      const key = `${rule.check}\u0000${rule.kind}`;
      index.set(key, [...(index.get(key) ?? []), rule]);
    }
    rulesIndex.set(profile, index);
  }
  return index;
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** inputs → checks (concurrently) → observations → profile rules → findings → verdict. */
export async function run(inputs: Inputs, options: RunOptions): Promise<Report> {
  const { checks, profiles, dns } = options;
  const byId = new Map(checks.map((c) => [c.id, c]));
  const running = new Map<string, Promise<Observation[]>>();
  const records = new Map<string, CheckRecord>();
  const notes: string[] = [];
  const say = notesIn(options.lang);

  const start = (check: Check): Promise<Observation[]> => {
    const existing = running.get(check.id);
    if (existing) return existing;
    const reason =
      check.sendingServer && inputs.path === 'submission'
        ? `sent through the provider's submission server as ${inputs.account}: its own servers send`
        : check.needsDns && !options.dnsAvailable
          ? '--offline: needs DNS'
          : check.skipReason(inputs, options.data);
    if (reason !== null) {
      records.set(check.id, { check: check.id, status: 'skipped', ms: 0, reason: skipReasonIn(options.lang, reason) });
      const none = Promise.resolve([]);
      running.set(check.id, none);
      return none;
    }
    const began = nowMs();
    const observationsOf = (id: string) => {
      const dependency = byId.get(id);
      if (!dependency || !(check.after ?? []).includes(id)) {
        return Promise.reject(new Error(`${check.id} reads ${id} without declaring it in "after"`));
      }
      return start(dependency);
    };
    const runCheck = () => check.run({ inputs, dns, data: options.data, observationsOf });
    const { memo } = options;
    const observed =
      memo && check.memoKey
        ? Promise.all((check.after ?? []).map(observationsOf)).then((dependencies) =>
            memo.get(`${check.id}\u0000${check.memoKey!(inputs, dependencies.flat())}`, runCheck, () => dns.failedLookups === 0),
          )
        : runCheck();
    const promise = observed
      .then(
        (observations) => {
          records.set(check.id, { check: check.id, status: 'pass', ms: Math.round(nowMs() - began) });
          return observations;
        },
        (err: unknown) => {
          records.set(check.id, { check: check.id, status: 'crashed', ms: Math.round(nowMs() - began), reason: describeError(err) });
          notes.push(say.crashed(check.id, describeError(err)));
          return [] as Observation[];
        },
      );
    running.set(check.id, promise);
    return promise;
  };

  const observations = (await Promise.all(checks.map(start))).flat();
  const matched = judge(observations, profiles, inputs, options, (id) => byId.get(id)?.memoKey !== undefined);
  const crashed = [...records.values()].filter((r) => r.status === 'crashed').map((r) => crashFinding(r, profiles[0]!.provider, options.lang));
  const adjusted = applyPolicy([...matched, ...crashed], options.policy, inputs.file ?? inputs.domain, say);
  notes.push(...adjusted.ignored);
  const order = new Map(checks.map((c, i) => [c.id, i]));
  const findings = adjusted.findings.map((f) => ({ ...f, ...locationOf(f, inputs) }));
  findings.sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || (order.get(a.check) ?? 0) - (order.get(b.check) ?? 0));

  const checkRecords = checks.map((c) => {
    const record = records.get(c.id)!;
    if (record.status !== 'pass') return record;
    const mine = findings.filter((f) => f.check === c.id);
    const status = mine.some((f) => f.severity === 'error') ? 'fail' : mine.some((f) => f.severity === 'warning') ? 'warn' : 'pass';
    return { ...record, status } satisfies CheckRecord;
  });

  if (inputs.mailFromSource === 'return-path') notes.push(say.returnPath(inputs.mailFrom || '<>'));
  if (inputs.mailFromSource === 'header-from') notes.push(say.headerFrom(inputs.mailFrom));
  if (inputs.mailFromSource === 'unknown') notes.push(say.unknownSender());
  if (inputs.offline) notes.push(say.offline());
  if (dns.offlineWalks.length > 0) notes.push(say.offlineWalks([...new Set(dns.offlineWalks)].join(', ')));
  const couldNotJudge = unjudged(inputs, dns, options.dnsAvailable, options.lang);

  return {
    target: {
      kind: inputs.kind,
      domain: inputs.domain,
      ...(inputs.ip !== undefined ? { ip: inputs.ip } : {}),
      ...(inputs.helo !== undefined ? { helo: inputs.helo } : {}),
      mailFrom: inputs.mailFrom,
      mailFromSource: inputs.mailFromSource,
      from: inputs.from,
      ...(inputs.file !== undefined ? { file: inputs.file } : {}),
      ...(inputs.source !== undefined ? { source: inputs.source } : {}),
    },
    verdict: verdictOf(findings),
    findings,
    checks: checkRecords,
    notes,
    dns: { queries: dns.queriesSent, trace: dns.trace },
    ...(couldNotJudge ? { couldNotJudge } : {}),
  };
}

/**
 * What the verdict rests on and could not be read: the sending domain's own SPF record
 * (the envelope domain's TXT) or its DMARC record (the From domain's `_dmarc` TXT), every
 * lookup of it failed — or a domain checked --offline with no zone at all, where nothing
 * was looked up. A draft checked --offline without zones was asked to be judged on its
 * message alone, and is.
 */
function unjudged(inputs: Inputs, dns: DnsClient, dnsAvailable: boolean, lang: Lang): string | undefined {
  const say = notesIn(lang);
  if (!dnsAvailable) return inputs.kind === 'domain' ? say.unjudgedOffline(inputs.domain) : undefined;
  const envelopeDomain = inputs.mailFrom.includes('@') ? inputs.mailFrom.slice(inputs.mailFrom.lastIndexOf('@') + 1) : '';
  const fromDomain = inputs.from.includes('@') ? inputs.from.slice(inputs.from.lastIndexOf('@') + 1) : '';
  const spf = envelopeDomain ? dns.failedEveryTime(envelopeDomain, 'TXT') : null;
  if (spf) return say.unjudgedSpf(envelopeDomain, outcomeProse(spf)[lang]);
  const dmarc = fromDomain ? dns.failedEveryTime(`_dmarc.${fromDomain}`, 'TXT') : null;
  if (dmarc) return say.unjudgedDmarc(fromDomain, outcomeProse(dmarc)[lang]);
  return undefined;
}

/**
 * One set of observations judged by every provider's rules in turn. An observation
 * shared from the memo was matched before, under the same provider, language, path and
 * limits: its findings are reused.
 */
function judge(observations: Observation[], profiles: readonly Profile[], inputs: Inputs, options: RunOptions, memoized: (check: string) => boolean): Finding[] {
  return profiles.flatMap((profile) => {
    const ctx: MatchContext = { profile, limits: effectiveLimits(profile, inputs.limits), lang: options.lang };
    const rules = rulesByObservation(profile);
    const contextKey = options.memo ? JSON.stringify([profile.file, options.lang, inputs.path, ctx.limits]) : '';
    return observations.flatMap((observation) => {
      const shared = options.memo !== undefined && memoized(observation.check);
      const known = shared ? matchedBefore.get(observation)?.get(contextKey) : undefined;
      if (known) return known;
      const findings = (rules.get(`${observation.check}\u0000${observation.kind}`) ?? [])
        // A rule written for one send path says nothing about the other.
        .filter((rule) => (rule.path === undefined || rule.path === inputs.path) && ruleMatches(rule, observation, ctx))
        .map((rule) => toFinding(rule, observation, ctx));
      if (observation.undecided && findings.length === 0) findings.push(undecidedFinding(observation, profile, options.lang));
      if (shared) matchedBefore.set(observation, (matchedBefore.get(observation) ?? new Map()).set(contextKey, findings));
      return findings;
    });
  });
}

/** A draft's finding points at the draft (and its header line); a domain's at the config entry that named it. */
function locationOf(finding: Finding, inputs: Inputs): { location?: SourceLocation } {
  if (inputs.message && inputs.file) {
    const line = findingLine(finding, inputs.message);
    return { location: line === undefined ? { file: inputs.file } : { file: inputs.file, line } };
  }
  return inputs.source ? { location: inputs.source } : {};
}

/**
 * A fault no rule of this profile speaks of (a profile need not write one per lookup that
 * can fail): still reported, as could-not-check, so it never reads as a pass.
 */
function undecidedFinding(observation: Observation, profile: Profile, lang: Lang): Finding {
  const say = notesIn(lang);
  return {
    rule: ENGINE_RULES.undecided,
    severity: 'warning',
    provider: profile.provider,
    code: null,
    token: null,
    message: say.undecided(observation.check, observation.undecided![lang], profile.label[lang]),
    remedy: say.undecidedRemedy(),
    evidence: observation.evidence,
    check: observation.check,
    couldNotCheck: true,
  };
}

function crashFinding(record: CheckRecord, provider: string, lang: Lang): Finding {
  const say = notesIn(lang);
  return {
    rule: ENGINE_RULES.crashed,
    severity: 'warning',
    provider,
    code: null,
    token: null,
    message: say.crashedFinding(record.check, record.reason ?? ''),
    remedy: say.crashedRemedy(),
    evidence: { check: record.check, error: record.reason },
    check: record.check,
  };
}
