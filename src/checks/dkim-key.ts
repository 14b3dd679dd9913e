import { createPublicKey } from 'node:crypto';
import { couldNotCheck, describeOutcome, txtValues } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { domainOf } from '../message/address.js';
import { parseTagList } from './tag-list.js';

/** RFC 8301: verifiers must not accept RSA keys under 1024 bits; 2048 is the recommended size. */
const MIN_RSA_BITS = 1024;
const GOOD_RSA_BITS = 2048;

interface KeyVerdict {
  status: string;
  detail: string;
  keyType?: string;
  bits?: number;
}

export function judgeKey(record: string): KeyVerdict {
  const tags = parseTagList(record);
  const v = tags.get('v');
  if (v !== undefined && v !== 'DKIM1') return { status: 'unparseable', detail: `v=${v}: a DKIM key record must say v=DKIM1` };
  const keyType = (tags.get('k') ?? 'rsa').toLowerCase();
  const p = tags.get('p')?.replace(/\s+/g, '');
  if (p === undefined) return { status: 'unparseable', detail: 'no p= tag: not a DKIM key record' };
  if (p === '') return { status: 'revoked', detail: 'p= is empty: the key is revoked (RFC 6376 §3.6.1); signatures with it fail', keyType };
  const der = Buffer.from(p, 'base64');
  if (keyType === 'ed25519') {
    return der.length === 32 ? { status: 'ok', detail: 'ed25519 key (RFC 8463)', keyType } : { status: 'unparseable', detail: `ed25519 key of ${der.length} bytes; RFC 8463 keys are 32`, keyType };
  }
  if (keyType !== 'rsa') return { status: 'unparseable', detail: `k=${keyType} is not a key type receivers know (rsa, ed25519)`, keyType };
  let bits: number | undefined;
  try {
    bits = createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength;
  } catch {
    try {
      bits = createPublicKey({ key: der, format: 'der', type: 'pkcs1' }).asymmetricKeyDetails?.modulusLength;
    } catch {
      return { status: 'unparseable', detail: 'p= is not a valid RSA public key', keyType };
    }
  }
  if (!bits) return { status: 'unparseable', detail: 'the RSA key size cannot be read', keyType };
  if (bits < MIN_RSA_BITS) return { status: 'weak', detail: `RSA key of ${bits} bits: receivers ignore keys under ${MIN_RSA_BITS} bits (RFC 8301)`, keyType, bits };
  if (bits < GOOD_RSA_BITS) return { status: 'weak', detail: `RSA key of ${bits} bits: works, but ${GOOD_RSA_BITS} bits is the recommended minimum`, keyType, bits };
  return { status: 'ok', detail: `RSA key of ${bits} bits`, keyType, bits };
}

/** The DKIM keys of the named selectors are published and usable. */
export const dkimKey: Check = {
  id: 'dkim-key',
  description: 'The DKIM keys of the given selectors exist and are usable',
  needsDns: true,
  skipReason: (inputs) => (inputs.dkimSelectors.length === 0 ? 'no --dkim-selector given' : null),
  async run({ inputs, dns }) {
    const domain = domainOf(inputs.from) || inputs.domain;
    return Promise.all(
      inputs.dkimSelectors.map(async (selector): Promise<Observation[]> => {
        const name = `${selector}._domainkey.${domain}`;
        const outcome = await dns.query(name, 'TXT');
        const evidence = { query: `TXT ${name}`, answer: describeOutcome(outcome) };
        const observe = (v: KeyVerdict): Observation => ({
          check: 'dkim-key',
          kind: 'key',
          data: { selector, domain, status: v.status, detail: v.detail, keyType: v.keyType ?? null, bits: v.bits ?? null },
          evidence,
        });
        if (couldNotCheck(outcome)) return [observe({ status: 'could-not-check', detail: describeOutcome(outcome) })];
        const records = txtValues(outcome).filter((t) => /(^|;)\s*(v=DKIM1|p=|k=)/i.test(t));
        if (records.length === 0) return [observe({ status: 'missing', detail: `no key published at ${name} (${describeOutcome(outcome)})` })];
        const verdict = judgeKey(records[0]!);
        const out = [observe(verdict)];
        const flags = parseTagList(records[0]!).get('t')?.toLowerCase().split(':').map((f) => f.trim()) ?? [];
        if (flags.includes('y')) out.push(observe({ status: 'testing', detail: 't=y: the domain is testing DKIM; receivers may treat failures leniently, and some ignore the key' }));
        return out;
      }),
    ).then((lists) => lists.flat());
  },
};
