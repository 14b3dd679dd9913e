import { UsageError } from '../../errors.js';
import type { Lang, Report } from '../../engine/types.js';
import type { FailOn } from '../../engine/verdict.js';
import type { Profile } from '../../profile/load.js';
import { formatGithub } from '../../report/github.js';
import { formatHtml } from '../../report/html.js';
import { formatJson, toJsonReport } from '../../report/json.js';
import { formatJunit } from '../../report/junit.js';
import { formatSarif } from '../../report/sarif.js';
import { makeStyle, useColor, type ColorChoice } from '../../report/style.js';
import { summarize } from '../../report/summary.js';
import { COMPACT_FROM_TARGETS, formatText } from '../../report/text.js';
import { safeJson } from '../../report/safe-text.js';
import { version } from '../../version.js';
import { stdoutIsTTY } from '../stdout.js';

export interface RenderContext {
  format: string;
  lang: Lang;
  /** Colour only when the report goes to a terminal. */
  toFile: boolean;
  /** The run's providers, first the primary: text groups findings per provider when there are several. */
  profiles: readonly Profile[];
  failOn: FailOn;
  helpBaseUri?: string;
  color?: ColorChoice;
  /** Text: the fix and the evidence under every finding. */
  verbose?: boolean;
  /** The config the run took its targets and settings from, named first in the report. */
  configFile?: string;
  /** Text: one line a target (the default past COMPACT_FROM_TARGETS targets, unless verbose). */
  compact?: boolean;
}

/** One NDJSON line: a report in the JSON contract's shape, with the tool and version on each line, and where its input was. */
export function ndjsonLine(report: Report, origin?: { index: number; source?: string }): string {
  return safeJson({ tool: 'presend', version, ...(origin ?? {}), report: toJsonReport(report) }) + '\n';
}

export function renderReports(reports: Report[], ctx: RenderContext): string {
  switch (ctx.format) {
    case 'json':
      return formatJson(reports, version, ctx.failOn, ctx.configFile);
    case 'ndjson':
      return reports.map((r, i) => ndjsonLine(r, { index: i + 1 })).join('');
    case 'sarif':
      return formatSarif(reports, ctx.profiles, { version, lang: ctx.lang, helpBaseUri: ctx.helpBaseUri });
    case 'junit':
      return formatJunit(reports, ctx.failOn);
    case 'github':
      return formatGithub(reports);
    case 'html':
      return formatHtml(reports, ctx.profiles.map((p) => ({ provider: p.provider, label: p.label[ctx.lang] })), { lang: ctx.lang, version, summary: summarize(reports, ctx.failOn) });
    case 'text':
      return formatText(reports, makeStyle(ctx.color === 'always' || (!ctx.toFile && useColor({ isTTY: stdoutIsTTY() }, process.env, ctx.color))), ctx.lang, ctx.profiles.map((p) => ({ provider: p.provider, label: p.label[ctx.lang] })), {
        summary: summarize(reports, ctx.failOn),
        verbose: ctx.verbose ?? false,
        compact: ctx.compact ?? (reports.length > COMPACT_FROM_TARGETS && !ctx.verbose),
        ...(ctx.configFile ? { configFile: ctx.configFile } : {}),
      });
    default:
      throw new UsageError(`--format ${ctx.format}: not supported`);
  }
}
