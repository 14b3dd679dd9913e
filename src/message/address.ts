import type { Prose } from '../prose.js';

/**
 * RFC 5321 §4.1.2 Mailbox syntax for an envelope address. Hand-written because the
 * address parsers on npm read RFC 5322 header syntax (display names, comments,
 * obsolete forms), which is far wider than what MAIL FROM accepts.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const DOT_STRING = new RegExp(`^${ATEXT}+(\\.${ATEXT}+)*$`);
const QUOTED_STRING = /^"([\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const UTF8_LABEL = /^[^\s.@]{1,63}$/u;

export type AddressProblem = Prose | null;

/** Why an envelope address is not a valid RFC 5321 Mailbox, or null when it is. */
export function envelopeAddressProblem(raw: string): AddressProblem {
  const address = raw.startsWith('<') && raw.endsWith('>') ? raw.slice(1, -1) : raw;
  if (address.length > 254) return { en: `${address.length} characters; at most 254 fit a path (RFC 5321 §4.5.3.1.3)`, zh: `共 ${address.length} 个字符；路径最多容纳 254 个（RFC 5321 §4.5.3.1.3）` };
  const at = address.lastIndexOf('@');
  if (at < 0) return { en: 'no "@": a mailbox needs a local part and a domain', zh: '没有 "@"：邮箱地址需要本地部分和域名' };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return { en: 'empty local part', zh: '本地部分为空' };
  if (Buffer.byteLength(local) > 64) return { en: 'local part longer than 64 octets (RFC 5321 §4.5.3.1.1)', zh: '本地部分超过 64 个八位字节（RFC 5321 §4.5.3.1.1）' };
  // eslint-disable-next-line no-control-regex
  const asciiLocal = /^[\x00-\x7f]*$/.test(local);
  if (asciiLocal && !DOT_STRING.test(local) && !QUOTED_STRING.test(local)) {
    return { en: `local part "${local}" is neither a dot-string nor a quoted string`, zh: `本地部分 "${local}" 既不是 dot-string 也不是带引号的字符串` };
  }
  if (!asciiLocal && /[\s"\\(),:;<>@[\]]/.test(local)) return { en: `local part "${local}" has characters an address cannot hold`, zh: `本地部分 "${local}" 含有地址中不允许的字符` };
  return domainProblem(domain);
}

export function domainProblem(domain: string): AddressProblem {
  if (domain === '') return { en: 'empty domain', zh: '域名为空' };
  if (/^\[.*\]$/.test(domain)) {
    const literal = domain.slice(1, -1).replace(/^IPv6:/i, '');
    return /^[0-9.]+$/.test(literal) || /^[0-9a-f:.]+$/i.test(literal) ? null : { en: `"${domain}" is not an address literal`, zh: `"${domain}" 不是地址字面量` };
  }
  if (domain.length > 253) return { en: 'domain longer than 253 characters', zh: '域名超过 253 个字符' };
  if (/^\.|\.\./.test(domain)) return { en: `domain "${domain}" has an empty label`, zh: `域名 "${domain}" 含有空标签` };
  const labels = domain.replace(/\.$/, '').split('.');
  // Spaces or other characters no label may hold say more than "a single label" would.
  if (labels.length === 1 && /[^\p{L}\p{N}-]/u.test(labels[0]!)) return { en: `"${labels[0]}" is not a valid domain label`, zh: `"${labels[0]}" 不是有效的域名标签` };
  if (labels.length < 2) return { en: `domain "${domain}" has a single label; a sending domain is fully qualified`, zh: `域名 "${domain}" 只有一个标签；发信域名应为完整域名` };
  for (const label of labels) {
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(label);
    if (ascii ? !LABEL.test(label) : !UTF8_LABEL.test(label)) return { en: `"${label}" is not a valid domain label`, zh: `"${label}" 不是有效的域名标签` };
  }
  return null;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at < 0 ? address : address.slice(at + 1)).replace(/^<|>$/g, '').toLowerCase().replace(/\.$/, '');
}
