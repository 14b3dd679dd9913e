import type { Lang, Report } from '../engine/types.js';
import { formatJson } from '../report/json.js';
import { makeStyle, useColor } from '../report/style.js';
import { formatText } from '../report/text.js';
import { UsageError } from '../engine/errors.js';
import { version } from '../version.js';

/** Picks the formatter; colour only when the report goes to a terminal. */
export function renderReports(reports: Report[], format: string, lang: Lang, toFile: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(reports, version);
    case 'text':
      return formatText(reports, makeStyle(!toFile && useColor(process.stdout, process.env)), lang);
    default:
      throw new UsageError(`--format ${format}: not supported`);
  }
}
