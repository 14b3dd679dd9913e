import { isIP } from '../ip.js';
import { domainOf, domainProblem, envelopeAddressProblem } from '../message/address.js';
import type { MessageFacts } from '../message/facts.js';
import { UsageError } from '../errors.js';
import type { Inputs, MailFromSource } from './types.js';

export interface EnvelopeOptions {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  from?: string;
  dkimSelectors?: string[];
  rcpt?: string[];
  offline?: boolean;
  maxMessageSize?: string;
  maxRecipients?: string;
  bulk?: boolean;
  /** Send through the provider's submission server, logged in as this address. */
  account?: string;
}

/** `""` and `<>` both mean the null sender; angle brackets around an address are dropped. */
export function normaliseMailFrom(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '<>') return '';
  return trimmed.replace(/^<(.*)>$/, '$1');
}

export function validateIp(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  const trimmed = ip.trim();
  if (!isIP(trimmed)) throw new UsageError(`--ip ${JSON.stringify(ip)}: not an IPv4 or IPv6 address`);
  return trimmed;
}

export function validateDomain(domain: string, what = 'domain'): string {
  const cleaned = domain.trim().toLowerCase().replace(/\.$/, '');
  // One trailing dot is the root (an absolute name); a second is an empty label.
  const problem = cleaned.endsWith('.') ? `"${cleaned}." has an empty label` : domainProblem(cleaned)?.en;
  // The line names the domain once: the problem's own mention of it goes.
  if (problem) throw new UsageError(`${what} ${JSON.stringify(domain)}: ${problem.replace(`domain "${cleaned}" `, '').replace(/^"[^"]*" is not/, 'not')}`);
  return cleaned;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `25MB`, `512k`, `1048576` → bytes (binary units: 1 MB = 1024 × 1024 bytes). */
export function parseSize(text: string, option = '--max-message-size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${option} ${JSON.stringify(text)}: expected a size such as 25MB, 512KB or 1048576`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes <= 0) throw new UsageError(`${option} ${JSON.stringify(text)}: must be more than 0`);
  return bytes;
}

export function parseCount(text: string, option: string): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) throw new UsageError(`${option} ${JSON.stringify(text)}: expected a whole number of at least 1`);
  return Number(text);
}

export function limitOverrides(o: EnvelopeOptions): Record<string, number> {
  const limits: Record<string, number> = {};
  if (o.maxMessageSize !== undefined) limits['max-message-size'] = parseSize(o.maxMessageSize);
  if (o.maxRecipients !== undefined) limits['max-recipients'] = parseCount(o.maxRecipients, '--max-recipients');
  return limits;
}

export function validateSelectors(selectors: string[] | undefined): string[] {
  return (selectors ?? []).map((s) => {
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(s)) throw new UsageError(`--dkim-selector ${JSON.stringify(s)}: not a DKIM selector`);
    return s.toLowerCase();
  });
}

/** What every kind of target takes from the flags alike, each value validated. */
function sharedInputs(o: EnvelopeOptions) {
  for (const rcpt of o.rcpt ?? []) {
    const problem = envelopeAddressProblem(rcpt)?.en;
    if (problem) throw new UsageError(`--rcpt ${JSON.stringify(rcpt)}: ${problem}`);
  }
  let account: string | undefined;
  if (o.account !== undefined) {
    const problem = envelopeAddressProblem(o.account)?.en;
    if (problem) throw new UsageError(`--account ${JSON.stringify(o.account)}: ${problem}`);
    account = normaliseMailFrom(o.account).toLowerCase();
  }
  return {
    ...(account !== undefined ? { account } : {}),
    path: account !== undefined ? ('submission' as const) : ('mx' as const),
    ip: validateIp(o.ip),
    helo: o.helo,
    dkimSelectors: validateSelectors(o.dkimSelectors),
    rcpt: o.rcpt ?? [],
    offline: o.offline ?? false,
    limits: limitOverrides(o),
    bulk: o.bulk ?? false,
  };
}

/** `presend domain <domain>`: the envelope defaults DESIGN.md names. */
export function domainInputs(rawDomain: string, o: EnvelopeOptions): Inputs {
  const domain = validateDomain(rawDomain);
  const mailFromSource: MailFromSource = o.mailFrom === undefined ? 'default' : 'flag';
  const mailFrom = o.mailFrom === undefined ? `postmaster@${domain}` : normaliseMailFrom(o.mailFrom);
  const from = o.from !== undefined ? normaliseMailFrom(o.from) : mailFrom || `postmaster@${domain}`;
  return { kind: 'domain', domain, mailFrom, mailFromSource, from, ...sharedInputs(o) };
}

/**
 * `presend eml`: the envelope from the flags; without --mail-from, Return-Path, and
 * failing that the header From — and the report says which was assumed.
 */
export function emlInputs(message: MessageFacts, o: EnvelopeOptions): Inputs {
  const headerFrom = message.from[0]?.address ?? '';
  let mailFrom: string;
  let mailFromSource: MailFromSource;
  if (o.mailFrom !== undefined) {
    mailFrom = normaliseMailFrom(o.mailFrom);
    mailFromSource = 'flag';
  } else if (message.returnPath !== undefined) {
    mailFrom = normaliseMailFrom(message.returnPath);
    mailFromSource = 'return-path';
  } else {
    mailFrom = headerFrom;
    mailFromSource = headerFrom === '' ? 'unknown' : 'header-from';
  }
  const from = o.from !== undefined ? normaliseMailFrom(o.from) : headerFrom || mailFrom;
  const domain = domainOf(mailFrom || from);
  return { kind: 'eml', domain, mailFrom, mailFromSource, from, file: message.file, message, ...sharedInputs(o) };
}
