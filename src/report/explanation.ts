import type { Explanation } from '../explain/explain.js';
import type { Lang } from '../engine/types.js';
import { safeLine } from './safe-text.js';
import type { Style } from './style.js';

/** Checks that read the draft: a code they predict is checked with `presend eml`. */
const messageChecks = new Set(['authentication', 'from-alignment', 'attachments', 'message-size', 'recipients', 'message-format', 'unsubscribe', 'dkim']);
/** Checks of the submission path: a code they predict is checked with `presend eml --account`. */
const accountChecks = new Set(['account', 'content']);

const words = {
  en: {
    unknown: 'not a {provider} code presend knows',
    unknownAny: 'not a code presend knows',
    closest: 'Closest codes',
    meaning: 'Meaning',
    cause: 'Likely cause',
    remedy: 'What to do',
    predicted: 'Predicted before sending by',
    run: 'Check before the next send',
    notPredicted: 'presend cannot predict this before sending',
    read: 'Reply read',
    prefix: '{provider} documents this token under another status; shown',
    categories: { sender: 'the sending side (IP, domain or behaviour)', receiver: "{provider}'s policy about this sender or message", system: 'the SMTP dialogue or a {provider} fault' },
    plan: 'a volume or rate limit: needs your sending plan to predict',
    explainOnly: 'account state or a server fault',
    side: 'Answered by',
    sides: { submission: "{provider}'s submission server (mail sent through an account)", mx: "{provider}'s inbound MX (a foreign server delivering to {provider})", enterprise: '{provider} enterprise mail' },
    noStatus: 'No status could be read from the paste; this token comes with',
    reported: 'Reported by senders, not documented by {provider}',
    temporary: '4xx: temporary, the sending server retries',
    provider: 'Provider',
    by: { marks: "from the reply's own marks", code: 'the only provider whose catalogue holds this reply', unknown: 'the reply does not say which' },
    markedUnknown: "the reply has {provider}'s form, but no code in its catalogue reads so",
    alsoFrom: 'a reply like it is also in the catalogue of',
    couldBe: 'could be from',
    statusRead: (status: string, enhanced: string | null) => `Status read: ${status}${enhanced ? ` ${enhanced}` : ''} (${status.startsWith('4') ? 'temporary: the sending server retries' : 'permanent'})`,
    dsnStatus: (enhanced: string) => `The bounce's Status field says ${enhanced}`,
    step: (step: string) => `Step that failed: ${step}`,
  },
  zh: {
    unknown: '不是 presend 已知的{provider}代码',
    unknownAny: '不是 presend 已知的代码',
    closest: '最接近的代码',
    meaning: '含义',
    cause: '可能原因',
    remedy: '处理方法',
    predicted: '发送前可由以下规则预测',
    run: '下次发送前检查',
    notPredicted: 'presend 无法在发送前预测',
    read: '读取的回复',
    prefix: '{provider}在另一状态码下记录此代码；显示',
    categories: { sender: '发送方（IP、域名或发送行为）', receiver: '{provider}针对该发件人或邮件的策略', system: 'SMTP 会话或{provider}系统故障' },
    plan: '发送量或频率限制：需要发送计划才能预测',
    explainOnly: '账户状态或服务器故障',
    side: '应答方',
    sides: { submission: '{provider}发信服务器（通过账号发信）', mx: '{provider}收信 MX（外部服务器向{provider}投递）', enterprise: '{provider}企业邮箱' },
    noStatus: '未能从粘贴内容中读到状态码；此代码可能带有以下状态',
    reported: '来自发件人的报告，{provider}未公开说明',
    temporary: '4xx：临时性，发件服务器会重试',
    provider: '服务商',
    by: { marks: '依据回复中的标记', code: '只有该服务商的代码表中有此回复', unknown: '回复未表明来自哪家' },
    markedUnknown: '回复具有{provider}的格式，但其代码表中没有这样的代码',
    alsoFrom: '类似的回复也见于以下服务商的代码表：',
    couldBe: '可能来自',
    statusRead: (status: string, enhanced: string | null) => `读到的状态码：${status}${enhanced ? ` ${enhanced}` : ''}（${status.startsWith('4') ? '临时性：发件服务器会重试' : '永久性'}）`,
    dsnStatus: (enhanced: string) => `退信的 Status 字段为 ${enhanced}`,
    step: (step: string) => `失败的步骤：${step}`,
  },
} as const;

/** A reply echoed in a heading: its first 200 characters. */
function shortened(line: string): string {
  return line.length <= 200 ? line : `${line.slice(0, 200)}…`;
}

/** Which provider the reply is from, and how presend told: its marks, the only catalogue with it, or neither. */
function providerLineOf(e: Explanation, by: NonNullable<Explanation['providerBy']>, w: (typeof words)[Lang], label: (id: string) => string): string {
  const others = (e.otherProviders ?? []).map(label);
  if (by === 'unknown' && !e.known) return `${w.provider}: ${w.by.unknown}; ${w.couldBe} ${others.join(', ')}`;
  // Marks place a reply the catalogue does not hold (a typo of a token): the form is the provider's, the code is not known.
  if (by === 'marks' && !e.known) return `${w.provider}: ${label(e.provider)} (${w.markedUnknown.replace(/\{provider\}/g, label(e.provider))})`;
  const alsoFrom = others.length > 0 && by !== 'code' ? `; ${w.alsoFrom} ${others.join(', ')}` : '';
  return `${w.provider}: ${label(e.provider)} (${w.by[by]})${alsoFrom}`;
}

/**
 * `labels`: each provider's short name in the report's language, by profile id; the
 * explanation's own provider names the reply's provider in every sentence.
 */
export function formatExplanationText(e: Explanation, style: Style, lang: Lang, labels: Record<string, string>): string {
  const label = (id: string) => labels[id] ?? id;
  const provider = label(e.provider);
  const providerLine = e.providerBy ? providerLineOf(e, e.providerBy, words[lang], label) : undefined;
  const fill = (v: string) => v.replace(/\{provider\}/g, provider);
  const raw = words[lang];
  const w = {
    ...raw,
    unknown: fill(raw.unknown),
    prefix: fill(raw.prefix),
    categories: { sender: fill(raw.categories.sender), receiver: fill(raw.categories.receiver), system: fill(raw.categories.system) },
    sides: { submission: fill(raw.sides.submission), mx: fill(raw.sides.mx), enterprise: fill(raw.sides.enterprise) },
    reported: fill(raw.reported),
  };
  if (!e.known) {
    if (e.success) return `${style.green('✓')} ${safeLine(JSON.stringify(shortened(e.reply.line)))}: ${e.meaning}\n`;
    const lines = [`${style.red('✖')} ${safeLine(JSON.stringify(shortened(e.reply.line)))}: ${e.provider === 'unknown' ? w.unknownAny : w.unknown}`];
    if (e.status) lines.push(w.statusRead(e.status, e.enhancedStatus));
    else if (e.enhancedStatus) lines.push(w.dsnStatus(e.enhancedStatus));
    if (e.step) lines.push(w.step(e.step));
    if (e.meaning) lines.push(`${w.meaning}: ${e.meaning}`);
    if (providerLine) lines.push(providerLine);
    if (e.candidates.length > 0) lines.push(`${w.closest}: ${e.candidates.map((c) => `${c.code} (${c.meaning})`).join('; ')}`);
    return lines.join('\n') + '\n';
  }
  const lines = [style.bold(safeLine(e.code ?? e.token!))];
  if (providerLine) lines.push(providerLine);
  if (!e.exactStatus && e.status) lines.push(style.dim(`${w.prefix} ${e.code} (${e.status} ${e.token})`));
  if (e.statuses.length > 0) {
    lines.push(`${w.noStatus}:`);
    for (const v of e.statuses) lines.push(`  ${v.code}${v.temporary ? ` (${w.temporary})` : ''} — ${v.meaning}`);
  }
  if (e.side) lines.push(`${w.side}: ${w.sides[e.side]}`);
  // With several statuses listed, each status's meaning is on its own line above.
  if (e.statuses.length === 0) lines.push(`${w.meaning}: ${e.meaning}`);
  lines.push(`${w.cause}: ${e.likelyCause ?? w.categories[e.category!]}`);
  lines.push(`${w.remedy}: ${e.remedy}`);
  if (e.predictedBy.length > 0) {
    const bySeverity = (s: string) => e.predictedBy.filter((r) => r.severity === s).map((r) => r.rule);
    const groups = (['error', 'warning', 'info'] as const).map((s) => [s, bySeverity(s)] as const).filter(([, rules]) => rules.length > 0);
    lines.push(`${w.predicted}: ${groups.map(([s, rules]) => `${rules.join(', ')} (${s})`).join('; ')}`);
    const command = e.predictedBy.some((r) => accountChecks.has(r.check))
      ? 'presend eml draft.eml --account <your-account>'
      : e.predictedBy.some((r) => messageChecks.has(r.check))
        ? 'presend eml draft.eml --ip <sending-ip> --helo <name>'
        : 'presend domain <domain> --ip <sending-ip> --helo <name>';
    lines.push(`${w.run}: ${command}`);
  } else {
    lines.push(`${w.notPredicted}: ${e.knownBy === 'plan' ? w.plan : w.explainOnly}`);
  }
  if (e.reportedOnly) lines.push(style.dim(w.reported));
  if (e.reply.line !== e.token) {
    lines.push(style.dim(safeLine(`${w.read}: ${shortened(e.reply.line)}${e.reply.enhanced ? ` [${e.reply.enhanced}]` : ''}`)));
  }
  return lines.join('\n') + '\n';
}
