import { XMLBuilder } from 'fast-xml-parser';
import type { Finding, Report } from '../engine/types.js';
import { failsAt, type FailOn } from '../engine/verdict.js';
import { findingKey, firstOccurrences } from './distinct.js';
import { evidenceLines } from './plain-value.js';
import { safeText } from './safe-text.js';

function describe(f: Finding): string {
  return [`[${f.severity}] ${f.code ?? 'no provider code'} — ${f.rule}`, f.message, ...(f.remedy ? [`Fix: ${f.remedy}`] : []), ...(Object.keys(f.evidence).length > 0 ? ['Evidence:', ...evidenceLines(f.evidence, 200).map((l) => `  ${l}`)] : [])].join('\n');
}

/** A class name consumers can show: the kind and the target, with path punctuation turned into underscores. */
function className(kind: string, target: string): string {
  return `presend.${kind}.${target.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

/**
 * JUnit XML: a testsuite per target, a testcase per check. A case with findings at or
 * above --fail-on has exactly one <failure> (counting them, each described in its body);
 * totals stand on <testsuites> too, so every consumer counts the same.
 */
export function formatJunit(reports: Report[], failOn: FailOn): string {
  // A domain's findings fail the first suite that has them; later drafts of that domain say where they are.
  const distinct = firstOccurrences(reports);
  const firstTarget = new Map<string, string>();
  for (const r of reports) for (const f of distinct.get(r) ?? []) firstTarget.set(findingKey(f), r.target.file ?? r.target.domain);
  const suites = reports.map((report) => {
    const name = report.target.file ?? report.target.domain;
    const classname = className(report.target.kind, name);
    if (report.error !== undefined) {
      return {
        '@_name': `presend ${report.target.kind} ${name}`,
        '@_tests': 1,
        '@_failures': 0,
        '@_errors': 1,
        '@_skipped': 0,
        '@_time': '0.000',
        testcase: [{ '@_name': 'read', '@_classname': classname, '@_time': '0.000', error: { '@_message': report.error.slice(0, 500), '@_type': 'could-not-check', '#text': report.error } }],
      };
    }
    const own = new Set(distinct.get(report) ?? []);
    const cases = report.checks.map((check) => {
      const mine = report.findings.filter((f) => f.check === check.check);
      const failures = mine.filter((f) => own.has(f) && failsAt(f, failOn));
      const elsewhere = mine.filter((f) => !own.has(f)).map((f) => `${f.code ?? f.rule}: reported under ${firstTarget.get(findingKey(f)) ?? 'another target'}`);
      const others = mine.filter((f) => own.has(f) && !failsAt(f, failOn));
      const first = failures[0];
      return {
        '@_name': check.check,
        '@_classname': classname,
        '@_time': (check.ms / 1000).toFixed(3),
        ...(check.status === 'skipped' ? { skipped: { '@_message': check.reason ?? 'skipped' } } : {}),
        ...(first
          ? {
              failure: {
                '@_message': `${first.code ?? first.rule}: ${first.message}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`.slice(0, 500),
                '@_type': first.rule,
                '#text': failures.map(describe).join('\n\n'),
              },
            }
          : {}),
        ...(others.length > 0 || elsewhere.length > 0 ? { 'system-out': [...others.map(describe), ...elsewhere].join('\n\n') } : {}),
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
  const total = (key: '@_tests' | '@_failures' | '@_errors' | '@_skipped') => suites.reduce((n, suite) => n + suite[key], 0);
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true, processEntities: true });
  const tree = {
    testsuites: {
      '@_name': 'presend',
      '@_tests': total('@_tests'),
      '@_failures': total('@_failures'),
      '@_errors': total('@_errors'),
      '@_skipped': total('@_skipped'),
      '@_time': suites.reduce((t, suite) => Math.max(t, Number(suite['@_time'])), 0).toFixed(3),
      testsuite: suites,
    },
  };
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build(xmlSafe(tree));
}

/** Every string in the tree with the characters XML 1.0 cannot hold made visible, so any input byte leaves the document well-formed. */
function xmlSafe(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafe(v)]));
  return value;
}
