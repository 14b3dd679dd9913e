/**
 * RFC 7208 §4.6 / §12 record syntax: the terms of one SPF record. Hand-written because
 * the evaluators on npm (mailauth included) parse only while evaluating, and report
 * neither the term that is wrong nor the per-include lookup count users ask for.
 */
import type { Prose } from '../../prose.js';
export type Qualifier = '+' | '-' | '~' | '?';

export interface Mechanism {
  kind: 'mechanism';
  qualifier: Qualifier;
  name: 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';
  /** domain-spec or address, without the cidr suffix */
  value?: string;
  text: string;
}

export interface Modifier {
  kind: 'modifier';
  name: string;
  value: string;
  text: string;
}

export type Term = Mechanism | Modifier;

export type ParseResult = { ok: true; terms: Term[] } | { ok: false; term: string; reason: Prose; terms: Term[] };

const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
/** The mechanisms and modifiers that cost a DNS query (RFC 7208 §4.6.4). */
export const QUERYING = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

const MACRO = /%\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|%%|%_|%-/gi;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isSpfRecord(text: string): boolean {
  return /^v=spf1( |$)/i.test(text);
}

export function hasMacro(value: string): boolean {
  return value.includes('%');
}

function notAddress(address: string | undefined, family: 'IPv4' | 'IPv6'): Prose {
  return { en: `"${address}" is not an ${family} address`, zh: `"${address}" 不是 ${family} 地址` };
}

/** A domain-spec: macros are allowed; without macros it must end in a plausible top label. */
function domainSpecProblem(spec: string): Prose | null {
  if (spec === '') return { en: 'empty domain', zh: '域名为空' };
  const withoutMacros = spec.replace(MACRO, 'x');
  if (withoutMacros.includes('%')) return { en: `bad macro in "${spec}"`, zh: `"${spec}" 中的宏有误` };
  if (!/^[\x21-\x7e]+$/.test(withoutMacros)) return { en: `"${spec}" has characters a domain-spec cannot hold`, zh: `"${spec}" 含有 domain-spec 中不允许的字符` };
  if (hasMacro(spec)) return null;
  const labels = spec.replace(/\.$/, '').split('.');
  if (labels.length < 2 || labels.some((l) => l === '' || l.length > 63)) return { en: `"${spec}" is not a fully qualified domain`, zh: `"${spec}" 不是完整域名` };
  if (!/^[a-z0-9-]*[a-z][a-z0-9-]*$/i.test(labels[labels.length - 1]!)) return { en: `"${spec}" does not end in a valid top label`, zh: `"${spec}" 的顶级标签无效` };
  return null;
}

function cidrProblem(cidr: string | undefined, max: number): Prose | null {
  if (cidr === undefined) return null;
  if (!/^\d{1,3}$/.test(cidr) || Number(cidr) > max || (cidr.length > 1 && cidr.startsWith('0'))) return { en: `bad CIDR length /${cidr}`, zh: `CIDR 长度 /${cidr} 有误` };
  return null;
}

function parseMechanism(qualifier: Qualifier, name: string, rest: string, text: string): Mechanism | Prose {
  const lower = name.toLowerCase() as Mechanism['name'];
  if (lower === 'all') return rest === '' ? { kind: 'mechanism', qualifier, name: lower, text } : { en: '"all" takes no argument', zh: '"all" 不带参数' };
  if (lower === 'ip4' || lower === 'ip6') {
    if (!rest.startsWith(':')) return { en: `${lower} needs ":address"`, zh: `${lower} 需要 ":地址"` };
    const [address, cidr, extra] = rest.slice(1).split('/');
    if (extra !== undefined) return { en: 'more than one "/"', zh: '多于一个 "/"' };
    if (lower === 'ip4' && !IPV4.test(address ?? '')) return notAddress(address, 'IPv4');
    if (lower === 'ip6' && (!/^[0-9a-f:.]+$/i.test(address ?? '') || !(address ?? '').includes(':'))) return notAddress(address, 'IPv6');
    const problem = cidrProblem(cidr, lower === 'ip4' ? 32 : 128);
    return problem ?? { kind: 'mechanism', qualifier, name: lower, value: address, text };
  }
  if (lower === 'include' || lower === 'exists') {
    if (!rest.startsWith(':')) return { en: `${lower} needs ":domain"`, zh: `${lower} 需要 ":域名"` };
    const problem = domainSpecProblem(rest.slice(1));
    return problem ?? { kind: 'mechanism', qualifier, name: lower, value: rest.slice(1), text };
  }
  // a, mx, ptr: optional :domain-spec, optional dual-cidr (a and mx only)
  const m = /^(?::([^/]*))?(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest);
  if (!m) return { en: `cannot read "${text}"`, zh: `无法读取 "${text}"` };
  if (lower === 'ptr' && (m[2] !== undefined || m[3] !== undefined)) return { en: 'ptr takes no CIDR length', zh: 'ptr 不带 CIDR 长度' };
  const problem = (m[1] !== undefined ? domainSpecProblem(m[1]) : null) ?? cidrProblem(m[2], 32) ?? cidrProblem(m[3], 128);
  return problem ?? { kind: 'mechanism', qualifier, name: lower, ...(m[1] !== undefined ? { value: m[1] } : {}), text };
}

export function parseSpf(record: string): ParseResult {
  const terms: Term[] = [];
  const words = record.trim().split(/ +/).slice(1);
  const seen = new Set<string>();
  for (const text of words) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(text);
    if (modifier) {
      const name = modifier[1]!.toLowerCase();
      const value = modifier[2]!;
      if ((name === 'redirect' || name === 'exp') && seen.has(name)) return { ok: false, term: text, reason: { en: `${name}= appears twice (RFC 7208 §6)`, zh: `${name}= 出现了两次（RFC 7208 §6）` }, terms };
      if (name === 'redirect' || name === 'exp') {
        const problem = domainSpecProblem(value);
        if (problem) return { ok: false, term: text, reason: problem, terms };
      } else if (/%[^{%_-]/.test(value)) {
        return { ok: false, term: text, reason: { en: 'bad macro', zh: '宏有误' }, terms };
      }
      seen.add(name);
      terms.push({ kind: 'modifier', name, value, text });
      continue;
    }
    const m = /^([+\-~?]?)([a-z][a-z0-9]*)(.*)$/i.exec(text);
    if (!m || !MECHANISMS.has(m[2]!.toLowerCase())) return { ok: false, term: text, reason: { en: 'unknown mechanism', zh: '未知机制' }, terms };
    const parsed = parseMechanism((m[1] || '+') as Qualifier, m[2]!, m[3]!, text);
    if (!('kind' in parsed)) return { ok: false, term: text, reason: parsed, terms };
    terms.push(parsed);
  }
  return { ok: true, terms };
}
