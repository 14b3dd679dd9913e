import { getDomain, parse } from 'tldts';
import { domainToASCII } from 'node:url';

/**
 * The organizational (registrable) domain by the Public Suffix List, private
 * suffixes included, so that two customers of one hosting suffix are two organizations.
 */
export function organizationalDomain(domain: string): string {
  const ascii = domainToASCII(domain.toLowerCase().replace(/\.$/, '')) || domain.toLowerCase();
  return getDomain(ascii, { allowPrivateDomains: true }) ?? ascii;
}

/** A name that is itself a public suffix (`com`, `co.uk`, `github.io`): no registrable domain is in it. */
export function isPublicSuffix(domain: string): boolean {
  const ascii = domainToASCII(domain.toLowerCase().replace(/\.$/, '')) || domain.toLowerCase();
  return getDomain(ascii, { allowPrivateDomains: true }) === null && !ascii.includes('..') && ascii.length > 0;
}

/** A name that ends in a suffix the Public Suffix List knows (`report.pdf` does not; `bank.com` does). */
export function hasKnownSuffix(domain: string): boolean {
  const parsed = parse(domain.toLowerCase(), { allowPrivateDomains: true });
  return parsed.isIcann === true || parsed.isPrivate === true;
}
