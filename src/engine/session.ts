import { DnsClient, defaultDnsOptions } from '../dns/client.js';
import { loadZoneFile, ZoneSet } from '../dns/zone.js';
import { allChecks } from '../checks/index.js';
import { loadDnsblLists, selectDnsblLists, type DnsblList } from '../profile/dnsbl.js';
import { defaultProfilePath, loadProfile, type Profile } from '../profile/load.js';
import { assertPolicyNamesRules, type Policy } from './policy.js';
import { assertRulesNameChecks, run } from './run.js';
import type { Check, Inputs, Lang, Report } from './types.js';

export interface SessionOptions {
  profilePath?: string;
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
}

/** What every target of one invocation shares: the profile, the zones, the blocklists. */
export interface Session {
  profile: Profile;
  checks: readonly Check[];
  zones: ZoneSet;
  dnsbl: DnsblList[];
  options: SessionOptions;
}

export function createSession(options: SessionOptions): Session {
  const profile = loadProfile(options.profilePath ?? defaultProfilePath());
  const checks = options.checks ?? allChecks;
  assertRulesNameChecks(profile, checks);
  if (options.policy) assertPolicyNamesRules(options.policy, profile);
  const zones = new ZoneSet([...(options.zones?.zones ?? []), ...options.zoneFiles.map(loadZoneFile)]);
  const dnsbl = selectDnsblLists(loadDnsblLists(), options.dnsbl);
  return { profile, checks, zones, dnsbl, options };
}

export function newDnsClient(session: Session): DnsClient {
  const o = session.options;
  return new DnsClient({
    servers: o.servers,
    timeoutMs: o.timeoutMs ?? defaultDnsOptions.timeoutMs,
    tries: o.tries ?? defaultDnsOptions.tries,
    budget: o.budget ?? defaultDnsOptions.budget,
    zones: session.zones,
    offline: o.offline,
  });
}

/** One target → one report, with its own DNS trace. */
export function checkTarget(session: Session, inputs: Inputs): Promise<Report> {
  return run(inputs, {
    profile: session.profile,
    checks: session.checks,
    dns: newDnsClient(session),
    lang: session.options.lang,
    data: { dnsbl: session.dnsbl },
    dnsAvailable: !session.options.offline || session.zones.zones.length > 0,
    policy: session.options.policy,
  });
}
