/**
 * DMARC as RFC 7489 reads it, beside mailauth's RFC 9989 reading: receivers that do not say
 * they implement RFC 9989 (NetEase, QQ) are judged by this one. The two differ in where the
 * policy is found and what an organization is:
 * - discovery (§6.6.3): `_dmarc.<From domain>`, else `_dmarc.<Organizational Domain>` only;
 *   several DMARC records at the name asked ends discovery with no DMARC (step 5), where
 *   RFC 9989 discards them and walks on;
 * - the Organizational Domain is found with the Public Suffix List (§3.2), never from a
 *   record at a public suffix, which RFC 9989's tree walk takes for one without psd=y;
 * - a record without a valid p=, or with an invalid sp=, is p=none when it names a valid
 *   rua=, else no DMARC (§6.6.3 step 6); sp= applies to a subdomain, np= does not exist,
 *   and pct=0 lowers the policy a step (§6.6.4).
 * Hand-written: mailauth implements RFC 9989 only, and no maintained package evaluates 7489.
 */
import type { DnsClient } from '../../dns/client.js';
import { txtValues } from '../../dns/records.js';
import { organizationalDomain } from '../../message/organization.js';
import { parseTagList } from '../tag-list.js';

const POLICIES = new Set(['none', 'quarantine', 'reject']);
const DMARC_RECORD = /^v\s*=\s*DMARC1\s*(;|$)/i;
/** A reporting URI as RFC 7489 §6.2 writes it (a mailto: is all receivers send to). */
const REPORT_URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

export interface Rfc7489Reading {
  /** Where the policy was found, or null for no DMARC processing. */
  location: string | null;
  /** The policy applied: none, quarantine or reject; `none` also when no DMARC applies. */
  policy: string;
  /** pass (aligned), fail, or none (no DMARC processing under RFC 7489). */
  result: 'pass' | 'fail' | 'none';
  /** Why no DMARC applies, when none does. */
  why?: 'no-record' | 'several-records' | 'invalid-policy';
}

/** The DMARC records at `_dmarc.<domain>`, from the answers the check already fetched (the client's cache). */
async function recordsAt(domain: string, dns: DnsClient): Promise<string[]> {
  return txtValues(await dns.query(`_dmarc.${domain}`, 'TXT')).filter((t) => DMARC_RECORD.test(t.trim()));
}

/** §6.6.3: the From domain's record set, else the Organizational Domain's. */
async function discover(fromDomain: string, dns: DnsClient): Promise<{ location: string; records: string[] } | null> {
  const own = await recordsAt(fromDomain, dns);
  if (own.length > 0) return { location: `_dmarc.${fromDomain}`, records: own };
  const org = organizationalDomain(fromDomain);
  if (org === fromDomain) return null;
  const inherited = await recordsAt(org, dns);
  return inherited.length > 0 ? { location: `_dmarc.${org}`, records: inherited } : null;
}

/** The policy applied to the From domain (§6.6.3 step 6, §6.3 sp, §6.6.4 pct), or null for no DMARC processing. */
export function appliedPolicy(tags: Map<string, string>, subdomain: boolean): string | null {
  const lower = (tag: string) => tags.get(tag)?.trim().toLowerCase();
  const p = lower('p');
  const sp = lower('sp');
  if (p === undefined || !POLICIES.has(p) || (sp !== undefined && !POLICIES.has(sp))) {
    const rua = (tags.get('rua') ?? '').split(',').some((u) => REPORT_URI.test(u.trim()));
    return rua ? 'none' : null;
  }
  const applied = (subdomain ? sp : undefined) ?? p;
  if (tags.get('pct')?.trim() === '0') return applied === 'reject' ? 'quarantine' : 'none';
  return applied;
}

/** Identifier alignment (§3.1): the same Organizational Domain (relaxed), or the same name (strict). */
function aligned(domain: string, fromDomain: string, mode: string | undefined): boolean {
  const a = domain.toLowerCase();
  const b = fromDomain.toLowerCase();
  return mode?.trim().toLowerCase() === 's' ? a === b : organizationalDomain(a) === organizationalDomain(b);
}

export async function readRfc7489(fromDomain: string, spfPassed: readonly string[], dkimPassed: readonly string[], dns: DnsClient): Promise<Rfc7489Reading> {
  const found = await discover(fromDomain, dns);
  if (!found) return { location: null, policy: 'none', result: 'none', why: 'no-record' };
  if (found.records.length > 1) return { location: found.location, policy: 'none', result: 'none', why: 'several-records' };
  const tags = parseTagList(found.records[0]!);
  const policy = appliedPolicy(tags, found.location !== `_dmarc.${fromDomain}`);
  if (policy === null) return { location: found.location, policy: 'none', result: 'none', why: 'invalid-policy' };
  const pass = spfPassed.some((d) => aligned(d, fromDomain, tags.get('aspf'))) || dkimPassed.some((d) => aligned(d, fromDomain, tags.get('adkim')));
  return { location: found.location, policy, result: pass ? 'pass' : 'fail' };
}
