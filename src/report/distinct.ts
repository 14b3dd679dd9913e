import type { Finding, Report } from '../engine/types.js';

/** What makes two findings the same finding: the same provider, rule, code and sentence. */
export const findingKey = (f: Finding): string => `${f.provider}\u0000${f.rule}\u0000${f.code ?? ''}\u0000${f.message}`;

/**
 * A run over several drafts of one domain finds the domain's DNS problems once per
 * draft. Annotation-style outputs (SARIF, GitHub) show each once: the first report that
 * has it keeps it; a later identical finding (same rule, same sentence) is left out there.
 */
export function firstOccurrences(reports: readonly Report[]): Map<Report, Finding[]> {
  const seen = new Set<string>();
  return new Map(
    reports.map((report) => [
      report,
      report.findings.filter((f) => {
        const key = findingKey(f);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    ]),
  );
}
