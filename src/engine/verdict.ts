import type { Finding, Severity, Verdict } from './types.js';

export const severityRank: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

export type FailOn = Severity | 'never';

/** Exit status 1 when anything is at or above --fail-on, else 0 (2 is for runs that could not be done). */
export function exitStatus(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const threshold = severityRank[failOn];
  return findings.some((f) => severityRank[f.severity] >= threshold) ? 1 : 0;
}
