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
