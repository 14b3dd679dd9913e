/**
 * A profile's rules, table-driven (ESLint's valid/invalid tables): every rule has a row,
 * and the row's observation earns exactly that rule — with its severity, its provider, its
 * reply (or none) and the observation's evidence.
 */
import { expect, it } from 'vitest';
import { effectiveLimits, ruleMatches, toFinding, type MatchContext } from '../../src/engine/match.js';
import type { Observation } from '../../src/engine/types.js';
import type { Profile } from '../../src/profile/load.js';

/** An observation that must earn the rule, and the reply it must carry (null: a rule without a code). */
export type RuleRow = [check: string, kind: string, data: Observation['data'], code: string | null];

export function contextOf(profile: Profile): MatchContext {
  return { profile, limits: effectiveLimits(profile, {}), lang: 'en' };
}

/** The two tests every profile's rule table gets; call inside the profile's describe. */
export function itEarnsEachRule(profile: Profile, table: Record<string, RuleRow>): void {
  const ctx = contextOf(profile);
  it('has a row in its table for every rule', () => {
    expect(Object.keys(table).sort()).toEqual(profile.rules.map((r) => r.id).sort());
  });

  it.each(profile.rules.map((r) => [r.id, r] as const))('%s: its observation earns exactly it, with its reply and severity', (id, rule) => {
    const [check, kind, data, code] = table[id]!;
    const observation: Observation = { check, kind, data, evidence: { sample: true } };
    expect(profile.rules.filter((r) => ruleMatches(r, observation, ctx)).map((r) => r.id)).toEqual([id]);
    const finding = toFinding(rule, observation, ctx);
    expect(finding).toMatchObject({ rule: id, severity: rule.severity, provider: profile.provider, code, evidence: { sample: true } });
    expect(finding.token === null).toBe(code === null);
  });
}

/**
 * Rows for the rules every profile carries alike: the real filters' verdicts (with the
 * profile's spam reply) and the domain's posture (MTA-STS, TLS-RPT, STARTTLS, BIMI), which no
 * provider answers with a code of its own.
 */
export function sharedRows(spamCode: string): Record<string, RuleRow> {
  return {
    'content-rspamd': ['content-rspamd', 'verdict', { spam: true, score: 16.9, required: 15, action: 'reject' }, spamCode],
    'content-rspamd-passed': ['content-rspamd', 'verdict', { spam: false, score: 1.2, required: 5, action: null }, null],
    'content-spamassassin': ['content-spamassassin', 'verdict', { spam: true, score: 16.9, required: 15, action: 'reject' }, spamCode],
    'content-spamassassin-passed': ['content-spamassassin', 'verdict', { spam: false, score: 1.2, required: 5, action: null }, null],
    'content-rspamd-could-not-check': ['content-rspamd', 'verdict', { spam: null }, null],
    'content-spamassassin-could-not-check': ['content-spamassassin', 'verdict', { spam: null }, null],
    'mta-sts-record-valid': ['mta-sts', 'record', { domain: 'shop.example', status: 'invalid-record' }, null],
    'mta-sts-policy-available': ['mta-sts', 'policy', { domain: 'shop.example', status: 'policy-unavailable' }, null],
    'mta-sts-policy-lifetime': ['mta-sts', 'policy', { domain: 'shop.example', status: 'ok', mode: 'enforce', maxAge: 300, shortMaxAge: true }, null],
    'mta-sts-mx-covered': ['mta-sts', 'mx', { domain: 'shop.example', status: 'mx-not-covered', mx: 'mx2.shop.example', mode: 'enforce' }, null],
    'mta-sts-mx-covered-testing': ['mta-sts', 'mx', { domain: 'shop.example', status: 'mx-not-covered', mx: 'mx2.shop.example', mode: 'testing' }, null],
    'mta-sts-could-not-check': ['mta-sts', 'fault', { domain: 'shop.example', status: 'could-not-check' }, null],
    'tls-rpt-record-valid': ['tls-rpt', 'record', { domain: 'shop.example', status: 'invalid', stsMode: null }, null],
    'tls-rpt-beside-mta-sts': ['tls-rpt', 'record', { domain: 'shop.example', status: 'none', stsMode: 'enforce' }, null],
    'tls-rpt-could-not-check': ['tls-rpt', 'fault', { domain: 'shop.example', status: 'could-not-check', stsMode: null }, null],
    'mx-tls-offered': ['mx-tls', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'no-starttls', stsMode: null }, null],
    'mx-tls-certificate': ['mx-tls', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'untrusted', stsMode: 'testing' }, null],
    'mx-tls-under-mta-sts': ['mx-tls', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'name-mismatch', stsMode: 'enforce' }, null],
    'mx-tls-expiring': ['mx-tls', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'expiring', stsMode: null }, null],
    'mx-tls-protocol': ['mx-tls', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'old-protocol', stsMode: null }, null],
    'mx-tls-could-not-check': ['mx-tls', 'fault', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'could-not-check', stsMode: null }, null],
    'bimi-record-valid': ['bimi', 'record', { domain: 'shop.example', status: 'invalid' }, null],
    'bimi-dmarc-enforced': ['bimi', 'dmarc', { domain: 'shop.example', status: 'not-enforced' }, null],
    'bimi-logo-valid': ['bimi', 'logo', { domain: 'shop.example', status: 'not-tiny-ps' }, null],
    'bimi-vmc-valid': ['bimi', 'vmc', { domain: 'shop.example', status: 'invalid' }, null],
    'bimi-could-not-check': ['bimi', 'fault', { domain: 'shop.example', status: 'could-not-check' }, null],
    'ns-consistent': ['ns-consistency', 'record', { domain: 'shop.example', status: 'disagree', name: 'shop.example', largestTtl: 3600 }, null],
    'ns-could-not-check': ['ns-consistency', 'fault', { domain: 'shop.example', status: 'could-not-check' }, null],
    'dnssec-bogus': ['dnssec', 'answer', { domain: 'shop.example', status: 'bogus', records: 'SPF', link: 'TXT shop.example' }, null],
    'dnssec-insecure': ['dnssec', 'zone', { domain: 'shop.example', status: 'insecure', records: 'SPF, DMARC, MX', at: 'shop.example' }, null],
    'dnssec-could-not-check': ['dnssec', 'fault', { domain: 'shop.example', status: 'could-not-check' }, null],
    'dane-match': ['dane', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'mismatch' }, null],
    'dane-usable': ['dane', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'unusable' }, null],
    'dane-ignored': ['dane', 'mx', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'ignored' }, null],
    'dane-could-not-check': ['dane', 'fault', { domain: 'shop.example', mx: 'mx1.shop.example', status: 'could-not-check' }, null],
  };
}
