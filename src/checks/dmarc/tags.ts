import type { Prose } from '../../prose.js';

const KNOWN = new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'rua', 'ruf', 'rf', 'ri', 'pct', 't', 'psd']);
const POLICIES = new Set(['none', 'quarantine', 'reject']);

export interface LintProblem {
  level: 'warning' | 'info';
  problem: Prose;
}

function notAPolicy(tag: string, value: string): Prose {
  return { en: `${tag}=${value} is not none, quarantine or reject`, zh: `${tag}=${value} 不是 none、quarantine 或 reject` };
}

/** What a reviewer would say of a DMARC record, beyond whether it parses. */
export function lintDmarc(tags: Map<string, string>): LintProblem[] {
  const out: LintProblem[] = [];
  const p = tags.get('p')?.toLowerCase();
  if (p === undefined) out.push({ level: 'warning', problem: { en: 'no p= tag: RFC 7489 makes the record invalid (RFC 9989 reads it as p=none only with a valid rua)', zh: '没有 p= 标签：按 RFC 7489 记录无效（RFC 9989 仅在 rua 有效时按 p=none 解读）' } });
  else if (!POLICIES.has(p)) out.push({ level: 'warning', problem: notAPolicy('p', p) });
  else if (p === 'none') out.push({ level: 'info', problem: { en: 'p=none only monitors: receivers enforce nothing; move to quarantine, then reject, once reports are clean', zh: 'p=none 只做监测：收件方不执行任何策略；报告干净后请改为 quarantine，再改为 reject' } });
  for (const tag of ['sp', 'np']) {
    const value = tags.get(tag)?.toLowerCase();
    if (value !== undefined && !POLICIES.has(value)) out.push({ level: 'warning', problem: notAPolicy(tag, value) });
  }
  const sp = tags.get('sp')?.toLowerCase();
  if (p && sp && POLICIES.has(p) && POLICIES.has(sp) && rank(sp) < rank(p)) {
    out.push({ level: 'info', problem: { en: `sp=${sp} is weaker than p=${p}: subdomains can be spoofed more easily than the domain`, zh: `sp=${sp} 弱于 p=${p}：子域比主域更容易被仿冒` } });
  }
  for (const tag of ['adkim', 'aspf']) {
    const value = tags.get(tag)?.toLowerCase();
    if (value !== undefined && value !== 'r' && value !== 's') out.push({ level: 'warning', problem: { en: `${tag}=${value} must be r or s`, zh: `${tag}=${value} 必须为 r 或 s` } });
  }
  const pct = tags.get('pct');
  if (pct !== undefined) {
    if (!/^\d{1,3}$/.test(pct) || Number(pct) > 100) out.push({ level: 'warning', problem: { en: `pct=${pct} must be 0-100`, zh: `pct=${pct} 必须在 0-100 之间` } });
    else if (Number(pct) < 100) {
      out.push({
        level: 'info',
        problem: { en: `pct=${pct}: the policy applies to only part of the failing mail (and RFC 9989 drops pct; many receivers ignore it)`, zh: `pct=${pct}：策略只作用于部分未通过的邮件（RFC 9989 已去掉 pct；许多收件方忽略它）` },
      });
    }
  }
  if (!tags.has('rua')) out.push({ level: 'info', problem: { en: 'no rua=: you receive no aggregate reports, so you cannot see who sends as you', zh: '没有 rua=：收不到汇总报告，因此看不到谁在以你的名义发信' } });
  for (const tag of ['rua', 'ruf']) {
    for (const uri of reportUris(tags.get(tag))) {
      if (!/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(uri.replace(/![0-9]+[kmgt]?$/i, ''))) {
        out.push({ level: 'warning', problem: { en: `${tag} URI "${uri}" is not a mailto: address (RFC 7489 §6.2)`, zh: `${tag} URI "${uri}" 不是 mailto: 地址（RFC 7489 §6.2）` } });
      }
    }
  }
  const unknown = [...tags.keys()].filter((t) => !KNOWN.has(t));
  if (unknown.length > 0) {
    const names = unknown.join(', ');
    out.push({ level: 'warning', problem: { en: `unknown tag(s) ${names}: a typo leaves the intended setting unset`, zh: `未知标签 ${names}：拼写错误会让本想设置的项目失效` } });
  }
  return out;
}

export function reportUris(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

export function reportDomain(uri: string): string | null {
  const m = /^mailto:[^@]+@([^!?\s]+)/i.exec(uri);
  return m ? m[1]!.toLowerCase() : null;
}

function rank(policy: string): number {
  return policy === 'reject' ? 2 : policy === 'quarantine' ? 1 : 0;
}
