const KNOWN = new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'rua', 'ruf', 'rf', 'ri', 'pct', 't', 'psd']);
const POLICIES = new Set(['none', 'quarantine', 'reject']);

export interface LintProblem {
  level: 'warning' | 'info';
  problem: string;
}

/** What a reviewer would say of a DMARC record, beyond whether it parses. */
export function lintDmarc(tags: Map<string, string>): LintProblem[] {
  const out: LintProblem[] = [];
  const p = tags.get('p')?.toLowerCase();
  if (p === undefined) out.push({ level: 'warning', problem: 'no p= tag: RFC 7489 makes the record invalid (RFC 9989 reads it as p=none only with a valid rua)' });
  else if (!POLICIES.has(p)) out.push({ level: 'warning', problem: `p=${p} is not none, quarantine or reject` });
  else if (p === 'none') out.push({ level: 'info', problem: 'p=none only monitors: receivers enforce nothing; move to quarantine, then reject, once reports are clean' });
  for (const tag of ['sp', 'np']) {
    const value = tags.get(tag)?.toLowerCase();
    if (value !== undefined && !POLICIES.has(value)) out.push({ level: 'warning', problem: `${tag}=${value} is not none, quarantine or reject` });
  }
  const sp = tags.get('sp')?.toLowerCase();
  if (p && sp && POLICIES.has(p) && POLICIES.has(sp) && rank(sp) < rank(p)) {
    out.push({ level: 'info', problem: `sp=${sp} is weaker than p=${p}: subdomains can be spoofed more easily than the domain` });
  }
  for (const tag of ['adkim', 'aspf']) {
    const value = tags.get(tag)?.toLowerCase();
    if (value !== undefined && value !== 'r' && value !== 's') out.push({ level: 'warning', problem: `${tag}=${value} must be r or s` });
  }
  const pct = tags.get('pct');
  if (pct !== undefined) {
    if (!/^\d{1,3}$/.test(pct) || Number(pct) > 100) out.push({ level: 'warning', problem: `pct=${pct} must be 0-100` });
    else if (Number(pct) < 100) out.push({ level: 'info', problem: `pct=${pct}: the policy applies to only part of the failing mail (and RFC 9989 drops pct; many receivers ignore it)` });
  }
  if (!tags.has('rua')) out.push({ level: 'info', problem: 'no rua=: you receive no aggregate reports, so you cannot see who sends as you' });
  for (const tag of ['rua', 'ruf']) {
    for (const uri of reportUris(tags.get(tag))) {
      if (!/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(uri.replace(/![0-9]+[kmgt]?$/i, ''))) {
        out.push({ level: 'warning', problem: `${tag} URI "${uri}" is not a mailto: address (RFC 7489 §6.2)` });
      }
    }
  }
  const unknown = [...tags.keys()].filter((t) => !KNOWN.has(t));
  if (unknown.length > 0) out.push({ level: 'warning', problem: `unknown tag(s) ${unknown.join(', ')}: a typo leaves the intended setting unset` });
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
