import type { Report } from '../engine/types.js';
import type { FailOn } from '../engine/verdict.js';
import { safeJson } from './safe-text.js';
import { SCHEMA_VERSION, summarize } from './summary.js';

/** DESIGN.md's JSON contract: findings carry exactly these keys, in this order. */
export function toJsonReport(report: Report) {
  return {
    target: report.target,
    verdict: report.verdict,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      provider: f.provider,
      code: f.code,
      token: f.token,
      message: f.message,
      remedy: f.remedy,
      evidence: f.evidence,
    })),
    checks: report.checks,
    notes: report.notes,
    dns: report.dns,
    ...(report.error !== undefined ? { error: report.error } : {}),
    ...(report.couldNotJudge !== undefined ? { couldNotJudge: report.couldNotJudge } : {}),
    ...(report.smtp !== undefined ? { smtp: report.smtp } : {}),
  };
}

/** `configFile`: the config a `presend check` run read, named beside the tool. */
export function formatJson(reports: Report[], version: string, failOn: FailOn = 'error', configFile?: string): string {
  return safeJson({ tool: 'presend', version, schemaVersion: SCHEMA_VERSION, ...(configFile ? { config: configFile } : {}), summary: summarize(reports, failOn), reports: reports.map(toJsonReport) }, 2) + '\n';
}
