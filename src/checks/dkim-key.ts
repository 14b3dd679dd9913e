import { couldNotCheck, describeOutcome, outcomeProse, txtValues } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import { domainOf } from '../message/address.js';
import type { Prose } from '../prose.js';
import { parseTagList } from './tag-list.js';

/** RFC 8301: verifiers must not accept RSA keys under 1024 bits; 2048 is the recommended size. */
const MIN_RSA_BITS = 1024;
const GOOD_RSA_BITS = 2048;

/** node:crypto only when a key is read: loading it costs 3–8 ms, and this module loads with every draft, offline too. */
const createPublicKey: typeof import('node:crypto').createPublicKey = (...args) => process.getBuiltinModule('node:crypto').createPublicKey(...args);

interface KeyVerdict {
  status: string;
  detail: Prose;
  keyType?: string;
  bits?: number;
}

export function judgeKey(record: string): KeyVerdict {
  const tags = parseTagList(record);
  const v = tags.get('v');
  if (v !== undefined && v !== 'DKIM1') return { status: 'unparseable', detail: { en: `v=${v}: a DKIM key record must say v=DKIM1`, zh: `v=${v}：DKIM 密钥记录必须为 v=DKIM1` } };
  const keyType = (tags.get('k') ?? 'rsa').toLowerCase();
  const p = tags.get('p')?.replace(/\s+/g, '');
  if (p === undefined) return { status: 'unparseable', detail: { en: 'no p= tag: not a DKIM key record', zh: '没有 p= 标签：不是 DKIM 密钥记录' } };
  if (p === '') return { status: 'revoked', detail: { en: 'p= is empty: the key is revoked (RFC 6376 §3.6.1); signatures with it fail', zh: 'p= 为空：密钥已吊销（RFC 6376 §3.6.1）；用它的签名都会失败' }, keyType };
  const der = Buffer.from(p, 'base64');
  if (keyType === 'ed25519') {
    if (der.length === 32) return { status: 'ok', detail: { en: 'ed25519 key (RFC 8463)', zh: 'ed25519 密钥（RFC 8463）' }, keyType };
    return { status: 'unparseable', detail: { en: `ed25519 key of ${der.length} bytes; RFC 8463 keys are 32`, zh: `ed25519 密钥长 ${der.length} 字节；RFC 8463 的密钥为 32 字节` }, keyType };
  }
  if (keyType !== 'rsa') return { status: 'unparseable', detail: { en: `k=${keyType} is not a key type receivers know (rsa, ed25519)`, zh: `k=${keyType} 不是收件方认识的密钥类型（rsa、ed25519）` }, keyType };
  let bits: number | undefined;
  try {
    bits = createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength;
  } catch {
    try {
      bits = createPublicKey({ key: der, format: 'der', type: 'pkcs1' }).asymmetricKeyDetails?.modulusLength;
    } catch {
      return { status: 'unparseable', detail: { en: 'p= is not a valid RSA public key', zh: 'p= 不是有效的 RSA 公钥' }, keyType };
    }
  }
  if (!bits) return { status: 'unparseable', detail: { en: 'the RSA key size cannot be read', zh: '无法读取 RSA 密钥长度' }, keyType };
  if (bits < MIN_RSA_BITS) {
    return { status: 'weak', detail: { en: `RSA key of ${bits} bits: receivers ignore keys under ${MIN_RSA_BITS} bits (RFC 8301)`, zh: `${bits} 位 RSA 密钥：收件方忽略短于 ${MIN_RSA_BITS} 位的密钥（RFC 8301）` }, keyType, bits };
  }
  if (bits < GOOD_RSA_BITS) {
    return { status: 'weak', detail: { en: `RSA key of ${bits} bits: works, but ${GOOD_RSA_BITS} bits is the recommended minimum`, zh: `${bits} 位 RSA 密钥：可用，但建议至少 ${GOOD_RSA_BITS} 位` }, keyType, bits };
  }
  return { status: 'ok', detail: { en: `RSA key of ${bits} bits`, zh: `${bits} 位 RSA 密钥` }, keyType, bits };
}

/** The DKIM keys of the named selectors are published and usable. */
export const dkimKey: Check = {
  id: 'dkim-key',
  description: 'The DKIM keys of the given selectors exist and are usable',
  needsDns: true,
  skipReason: (inputs) => (inputs.dkimSelectors.length === 0 ? 'no --dkim-selector given' : null),
  memoKey: (inputs) => JSON.stringify([domainOf(inputs.from) || inputs.domain, inputs.dkimSelectors]),
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
          data: { selector, domain, status: v.status, keyType: v.keyType ?? null, bits: v.bits ?? null },
          prose: { detail: v.detail },
          evidence,
          ...(v.status === 'could-not-check' ? { undecided: v.detail } : {}),
        });
        const answer = outcomeProse(outcome);
        if (couldNotCheck(outcome)) return [observe({ status: 'could-not-check', detail: answer })];
        const records = txtValues(outcome).filter((t) => /(^|;)\s*(v=DKIM1|p=|k=)/i.test(t));
        if (records.length === 0) return [observe({ status: 'missing', detail: { en: `no key published at ${name} (${answer.en})`, zh: `${name} 未发布密钥（${answer.zh}）` } })];
        const verdict = judgeKey(records[0]!);
        const out = [observe(verdict)];
        const flags = parseTagList(records[0]!).get('t')?.toLowerCase().split(':').map((f) => f.trim()) ?? [];
        if (flags.includes('y')) {
          out.push(observe({ status: 'testing', detail: { en: 't=y: the domain is testing DKIM; receivers may treat failures leniently, and some ignore the key', zh: 't=y：该域名处于 DKIM 测试模式；收件方可能从宽处理失败，有的会忽略该密钥' } }));
        }
        return out;
      }),
    ).then((lists) => lists.flat());
  },
};
