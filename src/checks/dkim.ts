import type { DKIMVerifyResult } from 'mailauth';
import { txtValues } from '../dns/records.js';
import type { Check, Observation } from '../engine/types.js';
import type { Prose } from '../prose.js';
import { parseTagList } from './tag-list.js';
import { dkimVerifier } from './mailauth.js';
import { needsMessage } from './needs-message.js';


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
/** mailauth's status comments (lib/dkim/dkim-verifier.js, KEY_ERROR_COMMENTS in lib/tools.js), in Chinese too; an unknown one is kept as mailauth wrote it. */
const mailauthComments: Record<string, string> = {
  'body hash did not verify': '正文哈希校验失败（签名后正文被改动）',
  'bad signature': '签名无效',
  expired: '签名已过期',
  'invalid expiration': '过期时间无效',
  'weak algorithm': '算法强度不足',
  'no key': '没有密钥',
  'unknown key version': '未知的密钥版本',
  'unknown key type': '未知的密钥类型',
  'invalid public key': '公钥无效',
  'inappropriate hash algorithm': '密钥不允许该哈希算法',
  'key not for email': '密钥不用于电子邮件',
  fail: '失败',
  neutral: '中性',
  permerror: '永久错误',
  temperror: '临时错误',
  policy: '不符合策略',
};

function mailauthReason(comment: string): Prose {
  const dns = /^DNS failure: (.*)$/.exec(comment);
  if (dns) return { en: comment, zh: `DNS 查询失败：${dns[1]}` };
  return { en: comment, zh: mailauthComments[comment] ?? comment };
}

async function standardsVerdict(sig: SignatureTags, verified: Verified | undefined, keyFlags: () => Promise<string[]>): Promise<{ result: string; reason: Prose } | null> {
  if (!KNOWN_ALGORITHMS.has(sig.algorithm)) {
    const algorithm = sig.algorithm || '(none)';
    return {
      result: 'permerror',
      reason: { en: `a=${algorithm} is not a DKIM signing algorithm (RFC 6376 §3.3, RFC 8463): every verifier ignores this signature`, zh: `a=${algorithm} 不是 DKIM 签名算法（RFC 6376 §3.3、RFC 8463）：所有验证方都会忽略此签名` },
    };
  }
  if (sig.identity && !sameOrSubdomain(identityDomain(sig.identity), sig.domain)) {
    return { result: 'permerror', reason: { en: `i=${sig.identity} is outside d=${sig.domain}; RFC 6376 §6.1.1 makes that a PERMFAIL`, zh: `i=${sig.identity} 不在 d=${sig.domain} 之内；按 RFC 6376 §6.1.1 属于 PERMFAIL` } };
  }
  if (verified?.status.result !== 'pass') return null;
  if (sig.algorithm === 'rsa-sha1') {
    return { result: 'fail', reason: { en: 'signed with rsa-sha1, which verifiers must not accept (RFC 8301 §3.1); sign with rsa-sha256', zh: '使用 rsa-sha1 签名，验证方不得接受（RFC 8301 §3.1）；请用 rsa-sha256 签名' } };
  }
  if (sig.identity && identityDomain(sig.identity) !== sig.domain && (await keyFlags()).includes('s')) {
    const identity = identityDomain(sig.identity);
    return {
      result: 'fail',
      reason: {
        en: `the key has t=s, which forbids an i= domain (${identity}) that is a subdomain of d=${sig.domain} (RFC 6376 §3.6.1)`,
        zh: `密钥带有 t=s，不允许 i= 的域名（${identity}）是 d=${sig.domain} 的子域（RFC 6376 §3.6.1）`,
      },
    };
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
    const verify = await dkimVerifier();
    const verified = await verify(inputs.message!.openRaw(), { resolver: dns.mailauthResolver(), sender: inputs.mailFrom || undefined });
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
      const reason = standards?.reason ?? (match ? mailauthReason(match.status.comment ?? match.status.result) : { en: 'the signature could not be read (malformed tags)', zh: '无法读取签名（标签格式错误）' });
      observations.push({
        check: 'dkim',
        kind: 'signature',
        data: { result, domain: sig.domain, selector: sig.selector, algorithm: sig.algorithm, identity: sig.identity },
        prose: { reason },
        ...(result === 'temperror' ? { undecided: reason } : {}),
        evidence: { signature: match?.signature?.slice(0, 200), algorithm: sig.algorithm, identity: sig.identity || undefined, bodyHash: match?.bodyHash, bodyHashExpecting: match?.bodyHashExpecting, info: match?.info, mailauth: match ? match.status.result : 'not reported' },
      });
    }
    return observations;
  },
};
