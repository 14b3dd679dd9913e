import type { Finding, Report } from '../engine/types.js';

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
        const key = `${f.rule}\u0000${f.code ?? ''}\u0000${f.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    ]),
  );
}
