import type { Profile } from '../profile/load.js';
import { UsageError } from '../errors.js';
import type { notesIn } from './notes.js';
import { ENGINE_RULES, type Check, type Finding, type Severity } from './types.js';

/** A team's adjustments to the profile: rule severities and ignores that carry a reason. */
export interface Policy {
  overrides: Record<string, Severity | 'off'>;
  ignores: { rule: string; target?: string; reason: string }[];
  /** Where the policy was written, for error messages. */
  source: string;
}

/** An override or ignore naming no rule would silently do nothing: refuse it. */
export function assertPolicyNamesRules(policy: Policy, profiles: readonly Profile[]): void {
  const ids = new Set([...profiles.flatMap((p) => p.rules.map((r) => r.id)), ...Object.values(ENGINE_RULES)]);
  const files = profiles.map((p) => p.file).join(', ');
  for (const id of Object.keys(policy.overrides)) {
    if (!ids.has(id)) throw new UsageError(`${policy.source}: rules.${id}: no rule is called "${id}" in ${files}`);
  }
  policy.ignores.forEach((ignore, i) => {
    if (!ids.has(ignore.rule)) throw new UsageError(`${policy.source}: ignore[${i}].rule: no rule is called "${ignore.rule}" in ${files}`);
  });
}

/** Applies overrides and ignores; what was ignored is returned so the report can say so. */
export function applyPolicy(findings: Finding[], policy: Policy | undefined, target: string, say: ReturnType<typeof notesIn>): { findings: Finding[]; ignored: string[] } {
  if (!policy) return { findings, ignored: [] };
  const ignored: string[] = [];
  const kept: Finding[] = [];
  for (const finding of findings) {
    const ignore = policy.ignores.find((i) => i.rule === finding.rule && (i.target === undefined || i.target === target));
    const override = policy.overrides[finding.rule];
    if (ignore) ignored.push(say.ignored(finding.rule, ignore.reason));
    else if (override === 'off') ignored.push(say.turnedOff(finding.rule, policy.source));
    else kept.push(override ? { ...finding, severity: override } : finding);
  }
  return { findings: kept, ignored };
}

/**
 * Checks the policy has silenced: every rule of every profile that reads them is turned
 * off, and no other check reads their observations. Such a check would only do work
 * whose findings are thrown away (a team that turns content scoring off does not pay for
 * the content engine), so it is not part of the run.
 */
export function silencedChecks(policy: Policy | undefined, profiles: readonly Profile[], checks: readonly Check[]): Set<string> {
  const silenced = new Set<string>();
  if (!policy) return silenced;
  const readByChecks = new Set(checks.flatMap((c) => c.after ?? []));
  for (const check of checks) {
    const rules = profiles.flatMap((p) => p.rules.filter((r) => r.check === check.id));
    if (rules.length > 0 && rules.every((r) => policy.overrides[r.id] === 'off') && !readByChecks.has(check.id)) silenced.add(check.id);
  }
  return silenced;
}
