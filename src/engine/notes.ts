import type { Lang } from './types.js';

/** The few sentences the engine itself writes into a report, in both languages. */
const phrases = {
  en: {
    returnPath: (a: string) => `envelope sender assumed from the Return-Path header: ${a}`,
    headerFrom: (a: string) => `envelope sender assumed from the From header (no --mail-from, no Return-Path): ${a}`,
    unknownSender: () => 'no envelope sender: no --mail-from, no Return-Path and no usable From header, so the envelope checks did not run (not assumed null)',
    unjudgedOffline: (domain: string) => `--offline with no zone: nothing about ${domain} was looked up, so its verdict is not a pass`,
    unjudgedSpf: (domain: string, why: string) => `the SPF record of ${domain} could not be read (${why}): the verdict rests on it`,
    unjudgedDmarc: (domain: string, why: string) => `the DMARC record of ${domain} could not be read (${why}): the verdict rests on it`,
    offline: () => '--offline: checks that need DNS were skipped or answered only from --zone files',
    offlineWalks: (names: string) => `offline, no zone holds ${names}: taken as NXDOMAIN for the DMARC tree walk, as a resolver serving only these zones would answer`,
    crashed: (check: string, error: string) => `check ${check} could not finish: ${error}`,
    crashedFinding: (check: string, error: string) => `The ${check} check could not finish (${error}); its verdict is unknown, not passed.`,
    crashedRemedy: () => 'Re-run; if it persists, report it with the input that caused it.',
    crashedRule: () => 'A check could not finish: its verdict is unknown, not passed.',
    undecidedRule: () => 'A check could not decide (a lookup failed, a list would not answer) and the profile has no rule for it: neither a failure nor a pass.',
    undecided: (check: string, why: string, provider: string) => `Could not check ${check}: ${why}. Neither a failure nor a pass: ${provider}'s rules cannot be applied to what is not known.`,
    undecidedRemedy: () => 'Re-run with a resolver that answers (--resolver host[:port], --timeout ms); nothing is known about this until then.',
    ignored: (rule: string, reason: string) => `${rule} ignored: ${reason}`,
    turnedOff: (rule: string, source: string) => `${rule} turned off in ${source}`,
  },
  zh: {
    returnPath: (a: string) => `信封发件人取自 Return-Path 信头：${a}`,
    headerFrom: (a: string) => `信封发件人取自 From 信头（未给 --mail-from，且无 Return-Path）：${a}`,
    unknownSender: () => '无信封发件人：未给 --mail-from，无 Return-Path，From 信头也不可用，因此未运行信封检查（不按空发件人处理）',
    offlineWalks: (names: string) => `离线且没有区域文件包含 ${names}：按 NXDOMAIN 处理 DMARC 树状查找，与只提供这些区域的解析器一致`,
    unjudgedOffline: (domain: string) => `--offline 且未给区域文件：未查询 ${domain} 的任何记录，其结论不算通过`,
    unjudgedSpf: (domain: string, why: string) => `无法读取 ${domain} 的 SPF 记录（${why}）：结论以它为依据`,
    unjudgedDmarc: (domain: string, why: string) => `无法读取 ${domain} 的 DMARC 记录（${why}）：结论以它为依据`,
    offline: () => '--offline：需要 DNS 的检查已跳过，或仅由 --zone 文件应答',
    crashed: (check: string, error: string) => `检查 ${check} 未能完成：${error}`,
    crashedFinding: (check: string, error: string) => `检查 ${check} 未能完成（${error}）；其结论未知，并非通过。`,
    crashedRemedy: () => '请重试；若仍出现，请连同触发它的输入一并报告。',
    crashedRule: () => '某项检查未能完成：其结论未知，并非通过。',
    undecidedRule: () => '某项检查无法判断（查询失败，或黑名单不应答），且该服务商档案没有相应规则：这既不是失败也不是通过。',
    undecided: (check: string, why: string, provider: string) => `无法完成 ${check} 检查：${why}。这既不是失败也不是通过：${provider}的规则无法用于未知的情况。`,
    undecidedRemedy: () => '请使用可正常应答的解析器重试（--resolver host[:port]、--timeout ms）；在此之前无法判断。',
    ignored: (rule: string, reason: string) => `${rule} 已忽略：${reason}`,
    turnedOff: (rule: string, source: string) => `${rule} 已在 ${source} 中关闭`,
  },
} as const;

/** Why a check did not run, in Chinese: the checks say it in English (their skipReason), the report says it in the reader's language. */
const skipReasonsZh: Record<string, string> = {
  'needs --ip': '需要 --ip',
  'no --helo given': '未给 --helo',
  'needs a draft message': '需要草稿邮件',
  'needs a draft message or --rcpt': '需要草稿邮件或 --rcpt',
  'no --dkim-selector given': '未给 --dkim-selector',
  'no header From': '无信头 From',
  'no envelope sender known (give --mail-from)': '不知道信封发件人（请给 --mail-from）',
  'null sender (reported by null-sender)': '空发件人（由 null-sender 报告）',
  'null sender: nothing to compare': '空发件人：无可比较',
  'null sender and no HELO: no identity to check': '空发件人且无 HELO：没有可检查的身份',
  'empty HELO (reported by helo-present)': 'HELO 为空（由 helo-present 报告）',
  'no --account (not sent through a submission server)': '未给 --account（不经发信服务器提交）',
  '--offline: needs DNS': '--offline：需要 DNS',
  'no --rspamd given': '未给 --rspamd',
  'no --spamd given': '未给 --spamd',
  'a posture check of presend domain': '属于 presend domain 的域名状况检查',
  'validated over the wire: --offline asks only a --resolver on loopback (--zone files carry no signatures)': '需通过网络验证：--offline 只询问回环地址上的 --resolver（--zone 文件不含签名）',
};

export function skipReasonIn(lang: Lang, reason: string): string {
  if (lang !== 'zh') return reason;
  const submission = /^sent through the provider's submission server as (.*): its own servers send$/.exec(reason);
  if (submission) return `经服务商发信服务器以 ${submission[1]} 提交：由其自有服务器发送`;
  return skipReasonsZh[reason] ?? reason;
}

export function notesIn(lang: Lang) {
  return phrases[lang];
}
