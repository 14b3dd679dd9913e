import { getDomain } from 'tldts';
import { domainToASCII } from 'node:url';

/**
 * The organizational (registrable) domain by the Public Suffix List, private
 * suffixes included, so that two customers of one hosting suffix are two organizations.
 */
export function organizationalDomain(domain: string): string {
  const ascii = domainToASCII(domain.toLowerCase().replace(/\.$/, '')) || domain.toLowerCase();
  return getDomain(ascii, { allowPrivateDomains: true }) ?? ascii;
}
