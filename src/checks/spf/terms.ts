/**
 * RFC 7208 §4.6 / §12 record syntax: the terms of one SPF record. Hand-written because
 * the evaluators on npm (mailauth included) parse only while evaluating, and report
 * neither the term that is wrong nor the per-include lookup count users ask for.
 */
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

export type ParseResult = { ok: true; terms: Term[] } | { ok: false; term: string; reason: string; terms: Term[] };

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

/** A domain-spec: macros are allowed; without macros it must end in a plausible top label. */
function domainSpecProblem(spec: string): string | null {
  if (spec === '') return 'empty domain';
  const withoutMacros = spec.replace(MACRO, 'x');
  if (withoutMacros.includes('%')) return `bad macro in "${spec}"`;
  if (!/^[\x21-\x7e]+$/.test(withoutMacros)) return `"${spec}" has characters a domain-spec cannot hold`;
  if (hasMacro(spec)) return null;
  const labels = spec.replace(/\.$/, '').split('.');
  if (labels.length < 2 || labels.some((l) => l === '' || l.length > 63)) return `"${spec}" is not a fully qualified domain`;
  if (!/^[a-z0-9-]*[a-z][a-z0-9-]*$/i.test(labels[labels.length - 1]!)) return `"${spec}" does not end in a valid top label`;
  return null;
}

function cidrProblem(cidr: string | undefined, max: number): string | null {
  if (cidr === undefined) return null;
  if (!/^\d{1,3}$/.test(cidr) || Number(cidr) > max || (cidr.length > 1 && cidr.startsWith('0'))) return `bad CIDR length /${cidr}`;
  return null;
}

function parseMechanism(qualifier: Qualifier, name: string, rest: string, text: string): Mechanism | string {
  const lower = name.toLowerCase() as Mechanism['name'];
  if (lower === 'all') return rest === '' ? { kind: 'mechanism', qualifier, name: lower, text } : '"all" takes no argument';
  if (lower === 'ip4' || lower === 'ip6') {
    if (!rest.startsWith(':')) return `${lower} needs ":address"`;
    const [address, cidr, extra] = rest.slice(1).split('/');
    if (extra !== undefined) return 'more than one "/"';
    if (lower === 'ip4' && !IPV4.test(address ?? '')) return `"${address}" is not an IPv4 address`;
    if (lower === 'ip6' && !/^[0-9a-f:.]+$/i.test(address ?? '')) return `"${address}" is not an IPv6 address`;
    if (lower === 'ip6' && !(address ?? '').includes(':')) return `"${address}" is not an IPv6 address`;
    const problem = cidrProblem(cidr, lower === 'ip4' ? 32 : 128);
    return problem ?? { kind: 'mechanism', qualifier, name: lower, value: address, text };
  }
  if (lower === 'include' || lower === 'exists') {
    if (!rest.startsWith(':')) return `${lower} needs ":domain"`;
    const problem = domainSpecProblem(rest.slice(1));
    return problem ?? { kind: 'mechanism', qualifier, name: lower, value: rest.slice(1), text };
  }
  // a, mx, ptr: optional :domain-spec, optional dual-cidr (a and mx only)
  const m = /^(?::([^/]*))?(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest);
  if (!m) return `cannot read "${text}"`;
  if (lower === 'ptr' && (m[2] !== undefined || m[3] !== undefined)) return 'ptr takes no CIDR length';
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
      if ((name === 'redirect' || name === 'exp') && seen.has(name)) return { ok: false, term: text, reason: `${name}= appears twice (RFC 7208 §6)`, terms };
      if (name === 'redirect' || name === 'exp') {
        const problem = domainSpecProblem(value);
        if (problem) return { ok: false, term: text, reason: problem, terms };
      } else if (/%[^{%_-]/.test(value)) {
        return { ok: false, term: text, reason: 'bad macro', terms };
      }
      seen.add(name);
      terms.push({ kind: 'modifier', name, value, text });
      continue;
    }
    const m = /^([+\-~?]?)([a-z][a-z0-9]*)(.*)$/i.exec(text);
    if (!m || !MECHANISMS.has(m[2]!.toLowerCase())) return { ok: false, term: text, reason: 'unknown mechanism', terms };
    const parsed = parseMechanism((m[1] || '+') as Qualifier, m[2]!, m[3]!, text);
    if (typeof parsed === 'string') return { ok: false, term: text, reason: parsed, terms };
    terms.push(parsed);
  }
  return { ok: true, terms };
}
