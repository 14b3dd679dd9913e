import type { DnsClient } from '../../dns/client.js';
import { couldNotCheck, mxValues, outcomeProse, txtValues, type DnsOutcome } from '../../dns/records.js';
import type { Prose } from '../../prose.js';
import { hasMacro, isSpfRecord, parseSpf, QUERYING, type Mechanism, type Term } from './terms.js';

export type NodeStatus = 'ok' | 'nxdomain' | 'no-spf' | 'multiple' | 'could-not-check' | 'syntax' | 'loop' | 'too-deep';

export interface SpfNode {
  domain: string;
  /** The term of the parent that led here ('' at the top). */
  via: string;
  status: NodeStatus;
  records: string[];
  /** Raw character-strings of the one SPF record, to measure them. */
  strings: string[];
  terms: Term[];
  syntax?: { term: string; reason: Prose };
  outcome?: Prose;
  /** DNS-querying terms of this record itself (include and redirect count here). */
  ownLookups: number;
  children: SpfNode[];
  /** Names whose lookups came back empty (RFC 7208 §4.6.4 void lookups). */
  voidNames: string[];
}

/** How deep and how wide the walk may go: RFC 7208's limit is 10, a hostile tree gets a bit more rope for the report. */
const MAX_DEPTH = 12;
/** RFC 7208 §4.6.4: an mx mechanism looks at no more than 10 exchanges. */
const MAX_MX_NAMES = 10;

export function totalLookups(node: SpfNode): number {
  return node.ownLookups + node.children.reduce((sum, child) => sum + totalLookups(child), 0);
}

export function allNodes(node: SpfNode): SpfNode[] {
  return [node, ...node.children.flatMap(allNodes)];
}

function isVoid(outcome: DnsOutcome): boolean {
  return outcome.status === 'nxdomain' || outcome.status === 'nodata';
}

async function voidTargets(dns: DnsClient, domain: string, terms: Term[]): Promise<string[]> {
  const checks = terms
    .filter((t): t is Mechanism => t.kind === 'mechanism' && (t.name === 'a' || t.name === 'mx'))
    .filter((t) => !t.value || !hasMacro(t.value))
    .map(async (t) => {
      const target = t.value ?? domain;
      if (t.name === 'mx') {
        const mx = await dns.query(target, 'MX');
        // The evaluation will ask for the exchanges' addresses next: ask now, while it is busy elsewhere.
        await Promise.all(mxValues(mx).slice(0, MAX_MX_NAMES).flatMap((m) => (m.exchange ? [dns.query(m.exchange, 'A'), dns.query(m.exchange, 'AAAA')] : [])));
        return isVoid(mx) ? [`${t.text} → ${target}`] : [];
      }
      const [a, aaaa] = await Promise.all([dns.query(target, 'A'), dns.query(target, 'AAAA')]);
      return isVoid(a) && isVoid(aaaa) ? [`${t.text} → ${target}`] : [];
    });
  return (await Promise.all(checks)).flat();
}

/**
 * Fetches a domain's SPF record and, concurrently, every include and redirect below it:
 * each level's lookups go out together, so the walk costs the tree's depth in round trips.
 */
export async function walkSpf(dns: DnsClient, domain: string, via = '', ancestors: string[] = []): Promise<SpfNode> {
  const node: SpfNode = { domain, via, status: 'ok', records: [], strings: [], terms: [], ownLookups: 0, children: [], voidNames: [] };
  if (ancestors.includes(domain)) return { ...node, status: 'loop' };
  if (ancestors.length >= MAX_DEPTH) return { ...node, status: 'too-deep' };
  const outcome = await dns.query(domain, 'TXT');
  node.outcome = outcomeProse(outcome);
  if (couldNotCheck(outcome)) return { ...node, status: 'could-not-check' };
  if (outcome.status === 'nxdomain') return { ...node, status: 'nxdomain' };
  const spfStrings = outcome.status === 'answer' ? outcome.records.flatMap((r) => (r.type === 'TXT' && isSpfRecord(r.strings.join('')) ? [r.strings] : [])) : [];
  node.records = txtValues(outcome).filter(isSpfRecord);
  if (node.records.length === 0) return { ...node, status: 'no-spf' };
  if (node.records.length > 1) return { ...node, status: 'multiple' };
  node.strings = spfStrings[0] ?? [];
  const parsed = parseSpf(node.records[0]!);
  node.terms = parsed.terms;
  if (!parsed.ok) return { ...node, status: 'syntax', syntax: { term: parsed.term, reason: parsed.reason } };
  const hasAll = parsed.terms.some((t) => t.kind === 'mechanism' && t.name === 'all');
  node.ownLookups = parsed.terms.filter((t) => QUERYING.has(t.name) && (t.kind === 'mechanism' || !hasAll)).length;
  const path = [...ancestors, domain];
  const descend = parsed.terms.flatMap((t) => {
    if (t.kind === 'mechanism' && t.name === 'include' && t.value && !hasMacro(t.value)) return [walkSpf(dns, t.value.toLowerCase(), t.text, path)];
    if (t.kind === 'modifier' && t.name === 'redirect' && !hasAll && !hasMacro(t.value)) return [walkSpf(dns, t.value.toLowerCase(), t.text, path)];
    return [];
  });
  const [children, voids] = await Promise.all([Promise.all(descend), voidTargets(dns, domain, parsed.terms)]);
  node.children = children;
  node.voidNames = [...voids, ...children.filter((c) => c.status === 'nxdomain').map((c) => `${c.via} → NXDOMAIN`)];
  return node;
}
