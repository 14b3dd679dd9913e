import { XMLBuilder } from 'fast-xml-parser';
import type { Finding, Report } from '../engine/types.js';
import { severityRank, type FailOn } from '../engine/verdict.js';
import { safeText } from './safe-text.js';

function failing(f: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank[f.severity] >= severityRank[failOn];
}

function describe(f: Finding): string {
  return `[${f.severity}] ${f.code ?? 'no provider code'} ${f.rule}: ${f.message}${f.remedy ? `\nFix: ${f.remedy}` : ''}\nEvidence: ${JSON.stringify(f.evidence)}`;
}

/** JUnit XML: a testsuite per target, a testcase per check; findings at or above --fail-on fail it. */
export function formatJunit(reports: Report[], failOn: FailOn): string {
  const suites = reports.map((report) => {
    const name = report.target.file ?? report.target.domain;
    if (report.error !== undefined) {
      return {
        '@_name': `presend ${report.target.kind} ${name}`,
        '@_tests': 1,
        '@_failures': 0,
        '@_errors': 1,
        '@_skipped': 0,
        '@_time': '0.000',
        testcase: [{ '@_name': 'read', '@_classname': `presend.${report.target.kind}.${name}`, '@_time': '0.000', error: { '@_message': report.error.slice(0, 500), '@_type': 'could-not-check', '#text': report.error } }],
      };
    }
    const cases = report.checks.map((check) => {
      const mine = report.findings.filter((f) => f.check === check.check);
      const failures = mine.filter((f) => failing(f, failOn));
      const others = mine.filter((f) => !failing(f, failOn));
      return {
        '@_name': check.check,
        '@_classname': `presend.${report.target.kind}.${name}`,
        '@_time': (check.ms / 1000).toFixed(3),
        ...(check.status === 'skipped' ? { skipped: { '@_message': check.reason ?? 'skipped' } } : {}),
        ...(failures.length > 0
          ? { failure: failures.map((f) => ({ '@_message': `${f.code ?? f.rule}: ${f.message}`.slice(0, 500), '@_type': f.rule, '#text': describe(f) })) }
          : {}),
        ...(others.length > 0 ? { 'system-out': others.map(describe).join('\n\n') } : {}),
      };
    });
    const count = (pred: (c: (typeof cases)[number]) => boolean) => cases.filter(pred).length;
    return {
      '@_name': `presend ${report.target.kind} ${name}`,
      '@_tests': cases.length,
      '@_failures': count((c) => 'failure' in c),
      '@_errors': 0,
      '@_skipped': count((c) => 'skipped' in c),
      '@_time': (report.checks.reduce((t, c) => Math.max(t, c.ms), 0) / 1000).toFixed(3),
      testcase: cases,
    };
  });
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build(xmlSafe({ testsuites: { '@_name': 'presend', testsuite: suites } }));
}

/** Every string in the tree with the characters XML 1.0 cannot hold made visible, so any input byte leaves the document well-formed. */
function xmlSafe(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafe(v)]));
  return value;
}
