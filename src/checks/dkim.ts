import { createRequire } from 'node:module';
import type { DKIMVerifyOptions, DKIMVerifyResult, MessageInput } from 'mailauth';
import { txtValues } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { parseTagList } from './tag-list.js';
import { needsMessage } from './needs-message.js';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify.js') as { dkimVerify: (input: MessageInput, options?: DKIMVerifyOptions) => Promise<DKIMVerifyResult> };

type Verified = DKIMVerifyResult['results'][number];

/** RFC 6376 §3.3 and RFC 8463: the algorithms a verifier knows; anything else is ignored by every verifier. */
const KNOWN_ALGORITHMS = new Set(['rsa-sha256', 'ed25519-sha256', 'rsa-sha1']);

interface SignatureTags {
  domain: string;
  selector: string;
  algorithm: string;
  identity: string;
  /** The first characters of b=, as mailauth reports them, to pair a header with its result. */
  bPrefix: string;
}

function signatureTags(value: string): SignatureTags {
  const tags = parseTagList(value);
  const identity = tags.get('i') ?? '';
  return {
    domain: (tags.get('d') ?? '').toLowerCase(),
    selector: (tags.get('s') ?? '').toLowerCase(),
    algorithm: (tags.get('a') ?? '').toLowerCase(),
    identity,
    bPrefix: (tags.get('b') ?? '').replace(/\s+/g, '').slice(0, 8),
  };
}

const identityDomain = (identity: string) => identity.slice(identity.lastIndexOf('@') + 1).toLowerCase();
const sameOrSubdomain = (domain: string, of: string) => domain === of || domain.endsWith(`.${of}`);

/**
 * What RFC 6376 and RFC 8301 say of a signature that mailauth let pass or did not
 * report: a verifier fails or ignores it, so presend must not call it a pass.
 */
async function standardsVerdict(sig: SignatureTags, verified: Verified | undefined, keyFlags: () => Promise<string[]>): Promise<{ result: string; reason: string } | null> {
  if (!KNOWN_ALGORITHMS.has(sig.algorithm)) {
    return { result: 'permerror', reason: `a=${sig.algorithm || '(none)'} is not a DKIM signing algorithm (RFC 6376 §3.3, RFC 8463): every verifier ignores this signature` };
  }
  if (sig.identity && !sameOrSubdomain(identityDomain(sig.identity), sig.domain)) {
    return { result: 'permerror', reason: `i=${sig.identity} is outside d=${sig.domain}; RFC 6376 §6.1.1 makes that a PERMFAIL` };
  }
  if (verified?.status.result !== 'pass') return null;
  if (sig.algorithm === 'rsa-sha1') {
    return { result: 'fail', reason: 'signed with rsa-sha1, which verifiers must not accept (RFC 8301 §3.1); sign with rsa-sha256' };
  }
  if (sig.identity && identityDomain(sig.identity) !== sig.domain && (await keyFlags()).includes('s')) {
    return { result: 'fail', reason: `the key has t=s, which forbids an i= domain (${identityDomain(sig.identity)}) that is a subdomain of d=${sig.domain} (RFC 6376 §3.6.1)` };
  }
  return null;
}

/**
 * Verifies the draft's DKIM signatures through presend's resolver (mailauth), then
 * holds each to RFC 6376 and RFC 8301 where mailauth is lenient. A draft usually has
 * none (the sending server signs), which is advice, not a problem.
 */
export const dkimCheck: Check = {
  id: 'dkim',
  description: "The draft's DKIM signatures verify",
  needsDns: true,
  skipReason: needsMessage,
  async run({ inputs, dns }) {
    const headers = inputs.message!.headers.filter((h) => h.key === 'dkim-signature').map((h) => signatureTags(h.value));
    if (headers.length === 0) return [{ check: 'dkim', kind: 'signature', data: { result: 'none' }, evidence: {} }];
    const verified = await dkimVerify(inputs.message!.openRaw(), { resolver: dns.mailauthResolver(), sender: inputs.mailFrom || undefined });
    const results = verified.results.filter((r) => r.status.result !== 'none');
    const observations: Observation[] = [];
    for (const sig of headers) {
      const match = results.find((r) => (r.signingDomain ?? '').toLowerCase() === sig.domain && (r.selector ?? '').toLowerCase() === sig.selector && (r.status.header?.b ?? '').replace(/"/g, '').startsWith(sig.bPrefix.slice(0, 6)));
      const keyFlags = async () =>
        parseTagList(txtValues(await dns.query(`${sig.selector}._domainkey.${sig.domain}`, 'TXT'))[0] ?? '')
          .get('t')
          ?.toLowerCase()
          .split(':')
          .map((f) => f.trim()) ?? [];
      const standards = await standardsVerdict(sig, match, keyFlags);
      const result = standards?.result ?? match?.status.result ?? 'permerror';
      const reason = standards?.reason ?? (match ? (match.status.comment ?? match.status.result) : 'the signature could not be read (malformed tags)');
      observations.push({
        check: 'dkim',
        kind: 'signature',
        data: { result, domain: sig.domain, selector: sig.selector, algorithm: sig.algorithm, identity: sig.identity, reason },
        evidence: { signature: match?.signature?.slice(0, 200), algorithm: sig.algorithm, identity: sig.identity || undefined, bodyHash: match?.bodyHash, bodyHashExpecting: match?.bodyHashExpecting, info: match?.info, mailauth: match ? match.status.result : 'not reported' },
      });
    }
    return observations;
  },
};
