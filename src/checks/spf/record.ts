import { describeOutcome, txtValues } from '../../dns/records.js';
import type { Check, Observation } from '../../engine/types.js';
import { domainOf } from '../../message/address.js';
import { verbatim, type Prose } from '../../prose.js';
import type { Mechanism } from './terms.js';
import { allNodes, totalLookups, walkSpf, type SpfNode } from './tree.js';

const MAX_STRING = 255;
const MAX_RECORD = 450;

function observe(kind: string, data: Observation['data'], evidence: Observation['evidence'], prose?: Record<string, Prose>): Observation {
  const undecided = data.status === 'could-not-check' ? prose?.outcome : undefined;
  return { check: 'spf-record', kind, data, ...(prose ? { prose } : {}), evidence, ...(undecided ? { undecided } : {}) };
}

/** "include:_spf.google.com=4, a=1": what each top-level term costs, so a user sees which include to flatten. */
function breakdown(root: SpfNode): string {
  const parts = root.terms.flatMap((t) => {
    if (t.kind === 'modifier' && t.name !== 'redirect') return [];
    if (t.kind === 'mechanism' && !['include', 'a', 'mx', 'ptr', 'exists'].includes(t.name)) return [];
    const child = root.children.find((c) => c.via === t.text);
    const count = 1 + (child ? totalLookups(child) : 0);
    return [`${t.text}=${count}`];
  });
  return parts.join(', ') || 'none';
}

function tree(node: SpfNode): unknown {
  return {
    domain: node.domain,
    via: node.via || undefined,
    status: node.status,
    record: node.records[0],
    lookups: totalLookups(node),
    children: node.children.length > 0 ? node.children.map(tree) : undefined,
  };
}

/** The SPF record itself, needing no IP: count, syntax, lookup budget, void lookups, risky terms. */
export const spfRecord: Check = {
  id: 'spf-record',
  description: 'The SPF record is single, valid and within RFC 7208 limits',
  needsDns: true,
  skipReason: () => null,
  memoKey: (inputs) => (inputs.mailFrom ? domainOf(inputs.mailFrom) : inputs.domain),
  async run({ inputs, dns }) {
    // The domain receivers evaluate: the envelope sender's (postmaster@<domain> by default).
    const domain = inputs.mailFrom ? domainOf(inputs.mailFrom) : inputs.domain;
    const [root, rrType] = await Promise.all([walkSpf(dns, domain), dns.query(domain, 'SPF')]);
    const out: Observation[] = [];
    const base = { domain };
    if (root.status === 'could-not-check') {
      return [observe('record-count', { ...base, status: 'could-not-check' }, { query: `TXT ${domain}`, answer: root.outcome?.en }, { outcome: root.outcome ?? verbatim('') })];
    }
    out.push(observe('record-count', { ...base, status: 'answered', count: root.records.length }, { query: `TXT ${domain}`, answer: root.outcome?.en, records: root.records }));
    if (rrType.status === 'answer' && txtValues(rrType).length > 0) {
      out.push(observe('spf-rr-type', base, { query: `SPF ${domain}`, answer: describeOutcome(rrType) }));
    }
    if (root.status === 'syntax' && root.syntax) {
      out.push(observe('syntax', { ...base, valid: false, term: root.syntax.term }, { record: root.records[0] }, { reason: root.syntax.reason }));
    }
    if (root.records.length !== 1) return out;
    const record = root.records[0]!;
    const longest = Math.max(0, ...root.strings.map((s) => Buffer.byteLength(s)));
    if (longest > MAX_STRING) out.push(observe('long-string', { ...base, bytes: longest }, { record, strings: root.strings }));
    if (Buffer.byteLength(record) > MAX_RECORD) out.push(observe('long-record', { ...base, bytes: Buffer.byteLength(record) }, { record }));
    if (root.status !== 'ok') return out;

    const nodes = allNodes(root);
    const count = totalLookups(root);
    out.push(observe('lookups', { ...base, count, limit: 10, breakdown: breakdown(root) }, { record, tree: tree(root) }));
    const voidNames = nodes.flatMap((n) => n.voidNames);
    out.push(observe('void-lookups', { ...base, count: voidNames.length, names: voidNames }, { names: voidNames }));
    const all = root.terms.find((t): t is Mechanism => t.kind === 'mechanism' && t.name === 'all');
    const redirect = root.terms.find((t) => t.kind === 'modifier' && t.name === 'redirect');
    if (all) out.push(observe('all', { ...base, qualifier: all.qualifier }, { record, term: all.text }));
    else if (!redirect) out.push(observe('all', { ...base, qualifier: 'none' }, { record }));
    if (all && redirect) out.push(observe('redirect-with-all', base, { record, redirect: redirect.text, all: all.text }));
    for (const node of nodes) {
      const ptr = node.terms.find((t) => t.kind === 'mechanism' && t.name === 'ptr');
      if (ptr) out.push(observe('ptr-mechanism', { ...base, term: ptr.text, at: node.domain }, { record: node.records[0], at: node.domain }));
      for (const child of node.children) {
        if (child.status === 'loop') {
          out.push(observe('include-loop', { ...base, path: [...pathTo(root, node), child.domain].join(' → ') }, { term: child.via, at: node.domain }));
        } else if (child.status === 'could-not-check') {
          out.push(
            observe('include-target', { ...base, target: child.domain, status: 'could-not-check' }, { term: child.via, at: node.domain, answer: child.outcome?.en }, { outcome: child.outcome ?? verbatim('') }),
          );
        } else if (child.status === 'nxdomain' || child.status === 'no-spf' || child.status === 'multiple') {
          out.push(observe('include-target', { ...base, target: child.domain, status: child.status === 'multiple' ? 'no-spf' : child.status }, { term: child.via, at: node.domain, answer: child.outcome?.en, records: child.records }));
        } else if (child.status === 'syntax' && child.syntax) {
          out.push(observe('syntax', { ...base, valid: false, term: `${child.syntax.term} (in ${child.domain})` }, { record: child.records[0], at: child.domain }, { reason: child.syntax.reason }));
        }
      }
    }
    return out;
  },
};

function pathTo(root: SpfNode, target: SpfNode): string[] {
  if (root === target) return [root.domain];
  for (const child of root.children) {
    const path = pathTo(child, target);
    if (path.length > 0) return [root.domain, ...path];
  }
  return [];
}

