import type { DnsClient } from '../dns/client.js';
import type { SharedDnsCache } from '../dns/shared-cache.js';
import { loadZoneFile, ZoneSet, zonePaths } from '../dns/zone.js';
import { allChecks } from '../checks/index.js';
import type { ContentEngines } from '../engines/options.js';
import { loadContentModel, type ContentModel } from '../profile/content-model.js';
import { loadDnsblLists, selectDnsblLists, type DnsblList } from '../profile/dnsbl.js';
import { defaultProfilePath, loadProfile, type Profile } from '../profile/load.js';
import { UsageError } from '../errors.js';
import { domainOf } from '../message/address.js';
import type { ObservationMemo } from './memo.js';
import { assertPolicyNamesRules, silencedChecks, type Policy } from './policy.js';
import { dnsClientFor } from './resolver.js';
import { assertRulesNameChecks, run } from './run.js';
import type { Check, Inputs, Lang, ProfileData, Report } from './types.js';
import type { TrustAnchor } from '../dnssec/validator.js';
import { parseServer } from '../dns/client.js';
import { isLoopbackAddress } from '../ip.js';

export interface SessionOptions {
  /** The provider profiles, first the one the sink and the submission path use (default: rules/netease.yaml). */
  profilePaths?: string[];
  lang: Lang;
  servers: string[];
  timeoutMs?: number;
  tries?: number;
  budget?: number;
  zoneFiles: string[];
  /** Zones built in memory (tests, the demo, the benchmark). */
  zones?: ZoneSet;
  offline: boolean;
  dnsbl?: string[];
  checks?: readonly Check[];
  policy?: Policy;
  /** Real spam filters to ask about drafts (--rspamd, --spamd). */
  contentEngines?: ContentEngines;
  /** --ca-file: CA certificates (PEM) trusted beside the system's. */
  extraCa?: string;
  /** --trust-anchor: DNSSEC trust anchors instead of the IANA root's. */
  trustAnchors?: TrustAnchor[];
  /** --mx-tls: connect to every MX on port 25 for STARTTLS (opt-in: port 25 is blocked on many networks). */
  mxTls?: boolean;
}

/** What every target of one invocation shares: the profiles, the zones, the blocklists. */
export interface Session {
  /** Every provider the run answers for; observations are matched against each. */
  profiles: Profile[];
  /** The first of them: the one a sink answers as and the submission path is modelled for. */
  profile: Profile;
  checks: readonly Check[];
  zones: ZoneSet;
  dnsbl: DnsblList[];
  /** The content engine's weights, read when a draft first needs them (a domain run never does). */
  contentModel(): ContentModel;
  /** What the checks read besides inputs and DNS: the same for every target of the session. */
  data: ProfileData;
  options: SessionOptions;
  /** DNS answers its targets share (engine/shared-session.ts). */
  sharedDns?: SharedDnsCache;
  /** Observations its targets share, while the DNS answers are shared. */
  memo?: ObservationMemo;
}

export function createSession(options: SessionOptions): Session {
  const profiles = (options.profilePaths ?? [defaultProfilePath()]).map((path) => loadProfile(path));
  const profile = profiles[0]!;
  const known = options.checks ?? allChecks;
  for (const p of profiles) assertRulesNameChecks(p, known);
  // A real spam filter is asked only when the run names one: unasked, its check is not part of the run (not even "not run").
  const engines = options.contentEngines ?? {};
  // The same for connecting to every MX (STARTTLS, DANE): only with --mx-tls.
  const asked = known.filter((c) => (c.id !== 'content-rspamd' || engines.rspamd !== undefined) && (c.id !== 'content-spamassassin' || engines.spamd !== undefined) && (!['mx-tls', 'dane'].includes(c.id) || options.mxTls === true));
  if (options.policy) assertPolicyNamesRules(options.policy, profiles);
  // Nor is a check whose every rule the team's config turns off.
  const silenced = silencedChecks(options.policy, profiles, asked);
  const checks = asked.filter((c) => !silenced.has(c.id));
  const zones = new ZoneSet([...(options.zones?.zones ?? []), ...options.zoneFiles.flatMap(zonePaths).map(loadZoneFile)]);
  const dnsbl = selectDnsblLists(loadDnsblLists(), options.dnsbl);
  let content: ContentModel | undefined;
  const contentModel = () => (content ??= loadContentModel());
  const data: ProfileData = {
    dnsbl,
    contentModel,
    contentEngines: engines,
    ...(options.extraCa ? { extraCa: options.extraCa } : {}),
    ...(options.trustAnchors ? { trustAnchors: options.trustAnchors } : {}),
    // DNSSEC is asked over the wire: online, or of a --resolver on loopback under --offline.
    dnssecOverWire: !options.offline || options.servers.some((s) => isLoopbackAddress(parseServer(s).host)),
  };
  return { profiles, profile, checks, zones, dnsbl, contentModel, data, options };
}

export function newDnsClient(session: Session): DnsClient {
  return dnsClientFor(session.options, session.zones, session.sharedDns);
}

/**
 * `--account`: the account's domain names the provider whose submission server sends;
 * one of the session's providers must be it.
 */
export function assertAccountProvider(session: Session, account: string | undefined): void {
  if (account === undefined) return;
  const domain = domainOf(account);
  if (session.profiles.some((p) => p.domains.includes(domain))) return;
  const named = session.profiles.map((p) => `${p.label.en} (${p.domains.join(', ')})`).join('; ');
  throw new UsageError(`--account ${account}: ${domain} is a domain of none of this run's providers — ${named}; the submission path is modelled for their accounts`);
}

/**
 * Marks drafts of one run that carry the same subject and body: each learns how many
 * others share its content (a provider sees the same mail sent again).
 */
export function countRepeats(digests: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const d of digests) counts.set(d, (counts.get(d) ?? 0) + 1);
  return digests.map((d) => counts.get(d)! - 1);
}

/** One target → one report, with its own DNS trace (a client warmed up for it may be given: see engine/resolver.ts). */
export function checkTarget(session: Session, inputs: Inputs, dns: DnsClient = newDnsClient(session)): Promise<Report> {
  return run(inputs, {
    profiles: session.profiles,
    checks: session.checks,
    dns,
    lang: session.options.lang,
    data: session.data,
    dnsAvailable: !session.options.offline || session.zones.zones.length > 0,
    policy: session.options.policy,
    ...(session.memo ? { memo: session.memo } : {}),
  });
}
