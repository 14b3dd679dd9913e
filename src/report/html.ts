/**
 * `--format html`: one self-contained document — inline CSS, no script, nothing fetched —
 * that reads in any browser with scripts off. At a glance the verdict per target and the
 * reply each provider would write; for a batch, an overview table first (failures first),
 * then each target: findings grouped by severity, each with its fix and evidence folded
 * under it, and the DNS trace as a table. Every text that came from outside (records,
 * headers, file names, replies) is escaped; a draft's own HTML is never put in the page.
 */
import type { Finding, Lang, Report } from '../engine/types.js';
import { safeText } from './safe-text.js';
import { findingKey, predictedCodes, runWideKeys, targetName, type RunSummary } from './summary.js';

export interface HtmlProvider {
  provider: string;
  label: string;
}

const words = {
  en: {
    title: 'presend report',
    overview: 'Overview',
    target: 'Target',
    verdict: 'Verdict',
    replies: 'Predicted replies',
    would: (p: string) => `${p} would reply`,
    nothing: 'nothing presend predicts',
    errors: 'Errors — the provider would reject',
    warnings: 'Warnings — risks, or could not check',
    info: 'Advice',
    fix: 'What to do',
    evidence: 'Evidence',
    trace: 'DNS questions',
    name: 'Name',
    type: 'Type',
    outcome: 'Outcome',
    source: 'Answered by',
    ms: 'ms',
    notes: 'Notes',
    couldNotJudge: 'Could not judge',
    noCode: 'no code',
    dialogue: 'The SMTP dialogue',
    traceLeftOut: (n: number) => `The DNS questions and the evidence of each target are left out of a report of ${n} targets: --format json has them.`,
    runWide: 'The same for every target',
    summary: (s: RunSummary) => `${s.targets} target${s.targets === 1 ? '' : 's'} — ${s.fail} fail, ${s.warn} warn, ${s.pass} pass; exit status ${s.exitStatus}`,
  },
  zh: {
    title: 'presend 报告',
    overview: '概览',
    target: '目标',
    verdict: '结论',
    replies: '预测的退信',
    would: (p: string) => `${p}将回复`,
    nothing: '未预测到退信',
    errors: '错误 — 服务商将拒收',
    warnings: '警告 — 风险或无法检查',
    info: '建议',
    fix: '处理',
    evidence: '证据',
    trace: 'DNS 查询',
    name: '名称',
    type: '类型',
    outcome: '结果',
    source: '应答方',
    ms: '毫秒',
    notes: '说明',
    couldNotJudge: '无法判断',
    noCode: '无代码',
    dialogue: 'SMTP 会话',
    traceLeftOut: (n: number) => `${n} 个目标的报告不列出各目标的 DNS 查询与证据：--format json 中有。`,
    runWide: '所有目标都相同的结果',
    summary: (s: RunSummary) => `${s.targets} 个目标 — ${s.fail} 个不通过，${s.warn} 个警告，${s.pass} 个通过；退出状态 ${s.exitStatus}`,
  },
} as const;

type Words = (typeof words)[Lang];

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
.verdict{display:inline-block;font-weight:700;padding:.05rem .5rem;border-radius:.3rem;color:#fff}.fail,.error{background:#b42318}.warn{background:#9a6700}.pass{background:#1a7f37}
.reply{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}details{margin:.3rem 0 .6rem 1rem}summary{cursor:pointer}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}ul.findings{list-style:none;padding-left:0}ul.findings>li{margin:.5rem 0}
.sev{font-weight:700}.sev.error{color:#b42318;background:none}.sev.warning{color:#9a6700}.sev.info{color:#0969da}
section{content-visibility:auto;contain-intrinsic-size:auto 30rem}table.overview{table-layout:fixed;margin:0}.rows{content-visibility:auto;contain-intrinsic-size:auto 250rem}
table.overview th:nth-child(1),table.overview td:nth-child(1){width:35%}table.overview th:nth-child(2),table.overview td:nth-child(2){width:10%}
thead.repeat{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th{background:#161b22}th,td{border-color:#30363d}}
`;

/** Text for HTML: escaped, and control characters shown as visible escapes (safeText). */
export function escapeHtml(text: string): string {
  return safeText(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const anchor = (i: number) => `t${i + 1}`;

function verdictBadge(r: Report): string {
  const verdict = r.error !== undefined ? 'error' : r.verdict;
  return `<span class="verdict ${verdict}">${verdict.toUpperCase()}</span>`;
}

function evidenceRows(evidence: Record<string, unknown>): string {
  return Object.entries(evidence)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td class="mono">${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</td></tr>`)
    .join('');
}

function findingItem(f: Finding, w: Words, detailed: boolean): string {
  const code = f.code ? `<span class="reply">${escapeHtml(f.code)}</span>` : `<span>(${w.noCode})</span>`;
  const fix = f.remedy ? `<p><strong>${w.fix}:</strong> ${escapeHtml(f.remedy)}</p>` : '';
  const evidence = detailed && Object.keys(f.evidence).length > 0 ? `<table><caption>${w.evidence}</caption><tbody>${evidenceRows(f.evidence)}</tbody></table>` : '';
  return `<li><span class="sev ${f.severity}">${f.severity}</span> ${code} <code>${escapeHtml(f.rule)}</code> — ${escapeHtml(f.message)}${fix || evidence ? `<details><summary>${w.fix} · ${w.evidence}</summary>${fix}${evidence}</details>` : ''}</li>`;
}

interface SectionOptions {
  /** Findings said once for the whole batch, left out of each target. */
  runWide: ReadonlySet<string>;
  /** A large batch leaves out the DNS traces and the evidence tables (the JSON has them). */
  detailed: boolean;
}

function targetSection(r: Report, i: number, w: Words, providers: readonly HtmlProvider[], o: SectionOptions): string {
  const out = [`<section id="${anchor(i)}" aria-labelledby="${anchor(i)}-h"><h2 id="${anchor(i)}-h">${verdictBadge(r)} ${escapeHtml(targetName(r))}</h2>`];
  if (r.error !== undefined) return `${out[0]}<p>${escapeHtml(r.error)}</p></section>`;
  if (r.couldNotJudge) out.push(`<p><strong>${w.couldNotJudge}:</strong> ${escapeHtml(r.couldNotJudge)}</p>`);
  for (const p of providers) {
    const codes = predictedCodes(r, p.provider);
    out.push(`<p>${escapeHtml(w.would(p.label))}: ${codes.length > 0 ? codes.map((c) => `<span class="reply">${escapeHtml(c)}</span>`).join(' · ') : w.nothing}</p>`);
  }
  for (const [severity, title] of [['error', w.errors], ['warning', w.warnings], ['info', w.info]] as const) {
    const group = r.findings.filter((f) => f.severity === severity && !o.runWide.has(findingKey(f)));
    if (group.length > 0) out.push(`<h3>${title} (${group.length})</h3><ul class="findings">${group.map((f) => findingItem(f, w, o.detailed)).join('')}</ul>`);
  }
  if (r.smtp) {
    const steps = r.smtp.steps.map((s) => `<tr><td>${s.status < 400 ? '✓' : '✖'}</td><td class="mono">${escapeHtml(s.command || s.step)}</td><td class="mono">${escapeHtml(s.reply)}</td></tr>`).join('');
    out.push(`<h3>${w.dialogue}</h3><table><tbody>${steps}</tbody></table>`);
  }
  if (r.notes.length > 0) out.push(`<h3>${w.notes}</h3><ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  if (r.dns.trace.length > 0 && o.detailed) {
    const rows = r.dns.trace.map((t) => `<tr><td class="mono">${escapeHtml(t.name)}</td><td>${escapeHtml(t.type)}</td><td class="mono">${escapeHtml(t.outcome)}</td><td>${escapeHtml(t.source)}</td><td>${t.ms}</td></tr>`).join('');
    out.push(`<details><summary>${w.trace} (${r.dns.trace.length})</summary><table><thead><tr><th>${w.name}</th><th>${w.type}</th><th>${w.outcome}</th><th>${w.source}</th><th>${w.ms}</th></tr></thead><tbody>${rows}</tbody></table></details>`);
  }
  return `${out.join('\n')}</section>`;
}

/** Past this many targets the DNS traces and evidence tables are left out (a 1,000-domain page stays under 3 MB). */
const TRACE_UP_TO_TARGETS = 50;

const ORDER = { error: 0, fail: 1, warn: 2, pass: 3 } as const;

/**
 * Overview rows a table holds: a batch's overview is cut into tables of this many, each laid
 * out only when scrolled to (content-visibility) — one 1,000-row table took half the time a
 * 1,000-domain report needed to open.
 */
const OVERVIEW_ROWS_PER_TABLE = 100;

/** The overview of a batch: a row a target, failures first, each linking to its section. */
function overview(reports: readonly Report[], w: Words): string {
  const rows = reports
    .map((r, i) => ({ r, i }))
    .sort((a, b) => ORDER[a.r.error !== undefined ? 'error' : a.r.verdict] - ORDER[b.r.error !== undefined ? 'error' : b.r.verdict] || a.i - b.i)
    .map(({ r, i }) => `<tr><td><a href="#${anchor(i)}">${escapeHtml(targetName(r))}</a></td><td>${verdictBadge(r)}</td><td>${predictedCodes(r).map((c) => `<span class="reply">${escapeHtml(c)}</span>`).join('<br>')}</td></tr>`);
  const head = (shown: boolean) => `<thead${shown ? '' : ' class="repeat"'}><tr><th scope="col">${w.target}</th><th scope="col">${w.verdict}</th><th scope="col">${w.replies}</th></tr></thead>`;
  const tables: string[] = [];
  // Every table keeps its header row (screen readers read each table on its own); after the first it is hidden from sight only.
  for (let i = 0; i < rows.length; i += OVERVIEW_ROWS_PER_TABLE) tables.push(`<div class="rows"><table class="overview">${head(i === 0)}<tbody>${rows.slice(i, i + OVERVIEW_ROWS_PER_TABLE).join('')}</tbody></table></div>`);
  return `<h2>${w.overview}</h2>${tables.join('')}`;
}

export function formatHtml(reports: readonly Report[], providers: readonly HtmlProvider[], options: { lang: Lang; version: string; summary: RunSummary }): string {
  const w = words[options.lang];
  const body = [`<h1>${w.title}</h1>`, `<p>presend ${escapeHtml(options.version)} — ${escapeHtml(w.summary(options.summary))}</p>`];
  if (reports.length > 1) body.push(overview(reports, w));
  // A large batch keeps to what a person reads: its DNS traces and evidence would be most of the page's bytes.
  const detailed = reports.length <= TRACE_UP_TO_TARGETS;
  if (!detailed) body.push(`<p>${escapeHtml(w.traceLeftOut(reports.length))}</p>`);
  const runWide = runWideKeys(reports);
  if (runWide.size > 0) {
    const first = reports.find((r) => r.error === undefined)!;
    body.push(`<h2>${w.runWide}</h2><ul class="findings">${first.findings.filter((f) => runWide.has(findingKey(f))).map((f) => findingItem(f, w, true)).join('')}</ul>`);
  }
  body.push(...reports.map((r, i) => targetSection(r, i, w, providers, { runWide, detailed })));
  return `<!doctype html>
<html lang="${options.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${w.title}</title><style>${CSS}</style></head>
<body><main>
${body.join('\n')}
</main></body></html>
`;
}
