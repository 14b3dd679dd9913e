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

export type AddressProblem = string | null;

/** Why an envelope address is not a valid RFC 5321 Mailbox, or null when it is. */
export function envelopeAddressProblem(raw: string): AddressProblem {
  const address = raw.startsWith('<') && raw.endsWith('>') ? raw.slice(1, -1) : raw;
  if (address.length > 254) return `${address.length} characters; at most 254 fit a path (RFC 5321 §4.5.3.1.3)`;
  const at = address.lastIndexOf('@');
  if (at < 0) return 'no "@": a mailbox needs a local part and a domain';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '') return 'empty local part';
  if (Buffer.byteLength(local) > 64) return 'local part longer than 64 octets (RFC 5321 §4.5.3.1.1)';
  // eslint-disable-next-line no-control-regex
  const asciiLocal = /^[\x00-\x7f]*$/.test(local);
  if (asciiLocal && !DOT_STRING.test(local) && !QUOTED_STRING.test(local)) {
    return `local part "${local}" is neither a dot-string nor a quoted string`;
  }
  if (!asciiLocal && /[\s"\\(),:;<>@[\]]/.test(local)) return `local part "${local}" has characters an address cannot hold`;
  return domainProblem(domain);
}

export function domainProblem(domain: string): AddressProblem {
  if (domain === '') return 'empty domain';
  if (/^\[.*\]$/.test(domain)) {
    const literal = domain.slice(1, -1).replace(/^IPv6:/i, '');
    return /^[0-9.]+$/.test(literal) || /^[0-9a-f:.]+$/i.test(literal) ? null : `"${domain}" is not an address literal`;
  }
  if (domain.length > 253) return 'domain longer than 253 characters';
  if (/^\.|\.\./.test(domain)) return `domain "${domain}" has an empty label`;
  const labels = domain.replace(/\.$/, '').split('.');
  if (labels.length < 2) return `domain "${domain}" has a single label; a sending domain is fully qualified`;
  for (const label of labels) {
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(label);
    if (ascii ? !LABEL.test(label) : !UTF8_LABEL.test(label)) return `"${label}" is not a valid domain label`;
  }
  return null;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at < 0 ? address : address.slice(at + 1)).replace(/^<|>$/g, '').toLowerCase().replace(/\.$/, '');
}
