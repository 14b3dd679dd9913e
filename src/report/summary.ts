import type { Finding, Report } from '../engine/types.js';
import { runExitStatus, type FailOn } from '../engine/verdict.js';

/** The JSON report's shape version: 2 added `schemaVersion`, `summary`, `error` and `smtp`. */
export const SCHEMA_VERSION = 2;

export interface RunSummary {
  targets: number;
  pass: number;
  warn: number;
  fail: number;
  /** Targets that could not be checked at all. */
  unchecked: number;
  errors: number;
  warnings: number;
  /** Distinct replies predicted across the run. */
  codes: string[];
  exitStatus: 0 | 1 | 2 | 3;
}

/** One run in a few numbers: what a pipeline or a person reads first. */
export function summarize(reports: readonly Report[], failOn: FailOn): RunSummary {
  const count = (verdict: Report['verdict']) => reports.filter((r) => r.verdict === verdict).length;
  const findings = reports.flatMap((r) => r.findings);
  return {
    targets: reports.length,
    pass: count('pass'),
    warn: count('warn'),
    fail: count('fail'),
    unchecked: count('error'),
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    codes: [...new Set(findings.filter((f) => f.severity === 'error' && f.code).map((f) => f.code!))],
    exitStatus: runExitStatus(reports, failOn),
  };
}

/** The replies a target would get from a provider (all providers when none is named): its error findings' codes, could-not-check ones left out. */
export function predictedCodes(report: Report, provider?: string): string[] {
  return [...new Set(report.findings.filter((f) => f.severity === 'error' && f.code && !f.couldNotCheck && (provider === undefined || f.provider === provider)).map((f) => f.code!))];
}

export const findingKey = (f: Finding) => `${f.provider}\u0000${f.rule}\u0000${f.severity}\u0000${f.message}`;

/**
 * Findings that every target of a batch carries word for word (a blocklist this resolver
 * cannot use, a provider-wide fact): said once for the run, not once a target.
 */
export function runWideKeys(reports: readonly Report[]): Set<string> {
  const checked = reports.filter((r) => r.error === undefined);
  if (checked.length < 2) return new Set();
  const [first, ...rest] = checked;
  return new Set(first!.findings.filter((f) => f.severity !== 'error').map(findingKey).filter((key) => rest.every((r) => r.findings.some((f) => findingKey(f) === key))));
}

/** What a report is about, as people name it: the draft's file, else the domain. */
export const targetName = (report: Report): string => report.target.file ?? report.target.domain;
