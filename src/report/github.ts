import type { Finding, Report } from '../engine/types.js';
import { firstOccurrences } from './distinct.js';
import { safeText } from './safe-text.js';

/** GitHub workflow commands: data escapes %, CR, LF; properties also : and , (actions/toolkit); other controls are made visible. */
const escapeData = (s: string) => safeText(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const command = { error: 'error', warning: 'warning', info: 'notice' } as const;

function line(f: Finding, report: Report): string {
  const props: string[] = [];
  if (f.location) {
    props.push(`file=${escapeProperty(f.location.file)}`);
    if (f.location.line !== undefined) props.push(`line=${f.location.line}`);
  }
  const target = report.target.file ?? report.target.domain;
  props.push(`title=${escapeProperty(`presend ${f.code ?? f.rule} (${target})`)}`);
  return `::${command[f.severity]} ${props.join(',')}::${escapeData(`${f.message}${f.remedy ? ` Fix: ${f.remedy}` : ''}`)}`;
}

function unchecked(report: Report, error: string): string {
  const file = report.target.file ?? report.target.domain;
  return `::error file=${escapeProperty(file)},title=${escapeProperty(`presend could not check ${file}`)}::${escapeData(error)}`;
}

/** One annotation line per finding: errors and warnings show on the pull request. */
export function formatGithub(reports: Report[]): string {
  const distinct = firstOccurrences(reports);
  return reports.flatMap((r) => (r.error !== undefined ? [unchecked(r, r.error)] : distinct.get(r)!.map((f) => line(f, r)))).join('\n') + '\n';
}
