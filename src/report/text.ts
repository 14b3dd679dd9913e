import type { CheckStatus, Finding, Lang, Report } from '../engine/types.js';
import { evidenceLines } from './plain-value.js';
import { safeLine } from './safe-text.js';
import type { Style } from './style.js';
import { findingKey, predictedCodes, runWideKeys, targetName, type RunSummary } from './summary.js';

const words = {
  en: {
    verdict: 'Verdict',
    errors: 'Errors — {provider} would reject',
    warnings: 'Warnings — risks, or could not check',
    info: 'Advice',
    fix: 'Fix',
    evidence: 'Evidence',
    checks: 'Checks',
    notRun: 'Not run',
    notes: 'Notes',
    noCode: 'no {provider} code',
    would: '{provider} would reply',
    nothing: 'nothing presend predicts from these checks',
    queries: 'DNS queries',
    unchecked: 'could not be checked',
    undecided: 'could not check',
    configErrors: 'Errors — set by your configuration (no {provider} reply)',
    couldNotJudge: 'Could not judge: ',
    runWide: 'The same for every target — said once',
    runWideHere: (n: number) => `(${n} finding${n === 1 ? '' : 's'} the same for every target: at the end)`,
    pathErrors: 'Errors — the send path fails before {provider} can reply',
    config: (file: string) => `presend check · config ${file}`,
    offlineVerdict: '— DNS checks not run (--offline): SPF, DMARC, blocklists, PTR and HELO are unknown',
    counts: (e: number, wn: number, i: number) => `${e} error, ${wn} warning, ${i} info`,
    network: (n: number) => `${n} over the network`,
    target: { ip: 'ip', helo: 'helo', mailFrom: 'mail from', from: 'from', as: 'as', separator: ', ' },
    status: { pass: 'pass', warn: 'warn', fail: 'fail', crashed: 'crashed', skipped: 'skipped' },
    summary: (s: RunSummary) =>
      `Summary: ${s.targets} targets — ${s.fail} fail, ${s.warn} warn, ${s.pass} pass${s.unchecked ? `, ${s.unchecked} could not be checked` : ''}; ${s.errors} error, ${s.warnings} warning findings; ${s.codes.length > 0 ? `predicted: ${s.codes.join(' · ')}` : 'no reply predicted'}`,
  },
  zh: {
    verdict: '结论',
    errors: '错误 — {provider}将拒收',
    warnings: '警告 — 风险或无法检查',
    info: '建议',
    fix: '处理',
    evidence: '证据',
    checks: '检查项',
    notRun: '未运行',
    notes: '说明',
    noCode: '无{provider}代码',
    would: '{provider}将回复',
    nothing: '根据这些检查，presend 未预测到退信',
    queries: 'DNS 查询',
    unchecked: '无法检查',
    undecided: '无法检查',
    configErrors: '错误 — 由你的配置设定（无{provider}回复）',
    couldNotJudge: '无法判断：',
    runWide: '所有目标都相同的结果 — 只列一次',
    runWideHere: (n: number) => `（另有 ${n} 条所有目标都相同的结果：见末尾）`,
    pathErrors: '错误 — 发信路径在{provider}应答之前就失败',
    config: (file: string) => `presend check · 配置 ${file}`,
    offlineVerdict: '— 未运行 DNS 检查（--offline）：SPF、DMARC、黑名单、PTR 与 HELO 未知',
    counts: (e: number, wn: number, i: number) => `${e} 个错误，${wn} 个警告，${i} 条建议`,
    network: (n: number) => `${n} 次经网络`,
    target: { ip: 'IP', helo: 'HELO', mailFrom: 'MAIL FROM', from: '信头 From', as: '账号', separator: '，' },
    status: { pass: '通过', warn: '警告', fail: '不通过', crashed: '未完成', skipped: '跳过' },
    summary: (s: RunSummary) =>
      `汇总：${s.targets} 个目标 — ${s.fail} 个不通过，${s.warn} 个警告，${s.pass} 个通过${s.unchecked ? `，${s.unchecked} 个无法检查` : ''}；${s.errors} 个错误、${s.warnings} 个警告；${s.codes.length > 0 ? `预测的退信：${s.codes.join(' · ')}` : '未预测到退信'}`,
  },
} as const;

function targetLine(report: Report, w: Words): string {
  const t = report.target;
  const label = w.target;
  const parts: string[] = [];
  if (t.ip !== undefined) parts.push(`${label.ip} ${t.ip}`);
  if (t.helo !== undefined) parts.push(`${label.helo} ${JSON.stringify(t.helo)}`);
  parts.push(`${label.mailFrom} <${t.mailFrom}>`);
  if (t.from !== t.mailFrom) parts.push(`${label.from} ${t.from}`);
  if (t.kind === 'eml' && t.domain === '') return safeLine(`eml ${t.file ?? ''}`);
  if (t.kind === 'smtp') {
    const smtpParts = [`${label.helo} ${JSON.stringify(t.helo ?? '')}`, `${label.mailFrom} <${t.mailFrom}>`, ...(t.user ? [`${label.as} ${t.user}`] : [])];
    return safeLine(`smtp ${t.domain}:${t.port ?? ''} — ${smtpParts.join(label.separator)}`);
  }
  const name = t.kind === 'eml' ? `${t.file ?? ''} (${t.domain})` : t.domain;
  return safeLine(`${t.kind} ${name} — ${parts.join(label.separator)}`);
}

/** Evidence values are cut at this many characters in the text report; the JSON report keeps them whole. */
const MAX_EVIDENCE_VALUE = 160;

type Words = { [K in Exclude<keyof (typeof words)['en'], 'summary' | 'counts' | 'network' | 'target' | 'status' | 'config' | 'runWideHere'>]: string } & {
  config: (file: string) => string;
  runWideHere: (n: number) => string;
  target: Record<keyof (typeof words)['en']['target'], string>;
  status: Record<CheckStatus, string>;
  summary: (s: RunSummary) => string;
  counts: (e: number, w: number, i: number) => string;
  network: (n: number) => string;
};

/** The phrases with the provider's short name filled in ("NetEase would reply"). */
function wordsFor(lang: Lang, provider: string): Words {
  return Object.fromEntries(Object.entries(words[lang]).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\{provider\}/g, provider) : v])) as Words;
}

/**
 * One line a finding: mark, code, rule, sentence. A finding that could not decide shows
 * the reply it is about as "could not check", never as if predicted. `--verbose` adds
 * the fix and the evidence.
 */
function findingLines(f: Finding, style: Style, w: Words, verbose: boolean): string[] {
  const mark = f.severity === 'error' ? style.red('✖') : f.severity === 'warning' ? style.yellow('!') : style.blue('i');
  const code = f.couldNotCheck ? style.dim(`(${w.undecided}${f.code ? `: ${safeLine(f.code)}` : ''})`) : f.code ? style.bold(safeLine(f.code)) : style.dim(`(${w.noCode})`);
  const lines = [`  ${mark} ${code}  ${style.dim(safeLine(f.rule))} — ${safeLine(f.message)}`];
  if (!verbose) return lines;
  if (f.remedy) lines.push(`      ${w.fix}: ${safeLine(f.remedy)}`);
  const evidence = evidenceLines(f.evidence, MAX_EVIDENCE_VALUE).map(safeLine);
  if (evidence.length > 0) lines.push(style.dim(`      ${w.evidence}:`), ...evidence.map((e) => style.dim(`        ${e}`)));
  return lines;
}

/** The replies a report predicts (error findings with a code), of one provider when given. */

export interface TextOptions {
  /** Fix and evidence under every finding. */
  verbose?: boolean;
  summary?: RunSummary;
  /** The config a `presend check` run read: named on the report's first line. */
  configFile?: string;
  /** One line a target (a batch's overview); the run-wide findings and the summary follow. */
  compact?: boolean;
}

/** Past this many targets a text report is one line a target unless --verbose asks for the whole. */
export const COMPACT_FROM_TARGETS = 20;

/** A provider the run answers for: its profile id (as findings carry it) and its short name in the report's language. */
export interface ProviderLabel {
  provider: string;
  label: string;
}

/**
 * A finding's groups under one provider's name: the errors it would reply with, errors a
 * config made, warnings, advice.
 */
function groupLines(findings: Finding[], style: Style, w: Words, verbose: boolean): string[] {
  const out: string[] = [];
  const groups: [string, Finding[]][] = [
    [w.errors, findings.filter((f) => f.severity === 'error' && f.code)],
    // An error the provider gives no reply for (a rule a config made an error) is the team's own gate.
    // A dry run that could not go on (TLS refused, credentials kept back, a broken server) has no reply to show.
    [w.pathErrors, findings.filter((f) => f.severity === 'error' && !f.code && f.check === 'smtp')],
    [w.configErrors, findings.filter((f) => f.severity === 'error' && !f.code && f.check !== 'smtp')],
    [w.warnings, findings.filter((f) => f.severity === 'warning')],
    [w.info, findings.filter((f) => f.severity === 'info')],
  ];
  for (const [title, group] of groups) {
    if (group.length === 0) continue;
    out.push('', style.bold(title));
    for (const f of group) out.push(...findingLines(f, style, w, verbose));
  }
  return out;
}

const verdictWord = (report: Report, style: Style) => (report.verdict === 'fail' ? style.red('FAIL') : report.verdict === 'warn' ? style.yellow('WARN') : style.green('PASS'));
const countsOf = (report: Report, w: Words) => w.counts(...(['error', 'warning', 'info'] as const).map((s) => report.findings.filter((f) => f.severity === s).length) as [number, number, number]);

/** A target in one line: its verdict, what it names, and the replies predicted. */
function compactLine(report: Report, style: Style, w: Words): string {
  if (report.error !== undefined) return safeLine(`${style.red('ERROR')} ${targetName(report)}  ${w.unchecked}: ${report.error}`);
  const codes = predictedCodes(report);
  return safeLine(`${verdictWord(report, style)} ${targetName(report)}  ${codes.length > 0 ? codes.join(' · ') : '—'}  (${countsOf(report, w)})${report.couldNotJudge ? `  ${w.couldNotJudge.trim()}` : ''}`);
}

export function formatText(reports: Report[], style: Style, lang: Lang, providers: readonly ProviderLabel[], options: TextOptions = {}): string {
  const { verbose = false, summary } = options;
  const w = wordsFor(lang, providers[0]?.label ?? '');
  const several = providers.length > 1;
  const out: string[] = [];
  if (options.configFile) out.push(safeLine(w.config(options.configFile)), '');
  const runWide = runWideKeys(reports);
  if (options.compact) out.push(...reports.map((r) => compactLine(r, style, w)), '');
  for (const report of options.compact ? [] : reports) {
    if (report.error !== undefined) {
      out.push(style.bold(`presend · ${targetLine(report, w)}`), `${w.verdict}: ${style.red('ERROR')}  ${safeLine(`${w.unchecked}: ${report.error}`)}`, '');
      continue;
    }
    out.push(style.bold(`presend · ${targetLine(report, w)}`));
    // A run whose DNS checks did not run says so in its verdict: a PASS of the message alone is not a PASS of the send.
    const offline = report.checks.some((c) => c.status === 'skipped' && c.reason?.startsWith('--offline'));
    out.push(`${w.verdict}: ${verdictWord(report, style)}  (${countsOf(report, w)})${offline ? `  ${w.offlineVerdict}` : ''}`);
    if (report.couldNotJudge) out.push(style.yellow(safeLine(`${w.couldNotJudge}${report.couldNotJudge}`)));
    const own = report.findings.filter((f) => !runWide.has(findingKey(f)));
    if (!several) out.push(...groupLines(own, style, w, verbose));
    // Several providers: each one's findings under its name, in the order the run named them.
    else {
      for (const p of providers) {
        const mine = own.filter((f) => f.provider === p.provider);
        if (mine.length === 0) continue;
        out.push('', style.bold(`── ${p.label} ──`), ...groupLines(mine, style, wordsFor(lang, p.label), verbose));
      }
    }
    if (own.length < report.findings.length) out.push('', style.dim(w.runWideHere(report.findings.length - own.length)));
    if (report.smtp) {
      out.push('', ...report.smtp.steps.map((s) => safeLine(`  ${s.status < 400 ? '✓' : '✖'} ${s.command || s.step} → ${s.reply.replace(/\r?\n/g, ' | ')}`)));
    }
    const ran = report.checks.filter((c) => c.status !== 'skipped');
    out.push('', safeLine(`${w.checks}: ${ran.map((c) => `${c.check} ${w.status[c.status]} ${c.ms}ms`).join(' · ')}`));
    const skippedBy = new Map<string, string[]>();
    for (const c of report.checks.filter((c) => c.status === 'skipped')) skippedBy.set(c.reason ?? '', [...(skippedBy.get(c.reason ?? '') ?? []), c.check]);
    if (skippedBy.size > 0) out.push(style.dim(safeLine(`${w.notRun}: ${[...skippedBy].map(([reason, ids]) => `${ids.join(', ')} (${reason})`).join('; ')}`)));
    if (report.dns.trace.length > 0) out.push(style.dim(`${w.queries}: ${report.dns.trace.filter((t) => t.source !== 'cache').length} (${w.network(report.dns.queries)})`));
    if (report.notes.length > 0) out.push(safeLine(`${w.notes}: ${report.notes.join('; ')}`));
    // One line a provider: what it would reply.
    for (const p of several ? providers : providers.slice(0, 1)) {
      const codes = predictedCodes(report, several ? p.provider : undefined);
      out.push(style.bold(safeLine(`${wordsFor(lang, p.label).would}: ${codes.length > 0 ? codes.join(' · ') : w.nothing}`)));
    }
    out.push('');
  }
  if (runWide.size > 0) {
    const first = reports.find((r) => r.error === undefined)!;
    out.push(style.bold(w.runWide), ...first.findings.filter((f) => runWide.has(findingKey(f))).flatMap((f) => findingLines(f, style, w, verbose)), '');
  }
  // Several targets end with one line for the whole run.
  if (summary && reports.length > 1) out.push(style.bold(w.summary(summary)), '');
  return out.join('\n');
}
