import type { Finding, Report, Severity, Verdict } from './types.js';

export const severityRank: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

export type FailOn = Severity | 'never';

/**
 * A whole run: 2 when any target could not be checked (after every report is out); 1 when
 * anything is at or above --fail-on; 3 when nothing is but some verdict rests on what could
 * not be read ("could not judge": a gate that checked nothing does not pass); else 0.
 */
export function runExitStatus(reports: readonly Report[], failOn: FailOn): 0 | 1 | 2 | 3 {
  if (reports.some((r) => r.error !== undefined)) return 2;
  const status = exitStatus(reports.flatMap((r) => r.findings), failOn);
  if (status === 0 && failOn !== 'never' && reports.some((r) => r.couldNotJudge !== undefined)) return 3;
  return status;
}

/** A target that could not be checked at all: a report that says why, so the others still get theirs. */
export function unreadableReport(file: string, error: string): Report {
  return {
    target: { kind: 'eml', domain: '', mailFrom: '', mailFromSource: 'flag', from: '', file },
    verdict: 'error',
    findings: [],
    checks: [],
    notes: [],
    dns: { queries: 0, trace: [] },
    error,
  };
}

/** Whether a finding fails the run: at or above --fail-on. */
export function failsAt(f: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank[f.severity] >= severityRank[failOn];
}

/** Exit status 1 when anything is at or above --fail-on, else 0 (2 is for runs that could not be done). */
export function exitStatus(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  return findings.some((f) => failsAt(f, failOn)) ? 1 : 0;
}
