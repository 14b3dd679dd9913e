/**
 * TLSA records matched against a certificate chain as an SMTP client must (RFC 7672 §3.1,
 * RFC 6698 §2.1): DANE-EE(3) against the server's own certificate (its name and dates do
 * not matter), DANE-TA(2) against a certificate of the chain above it; PKIX-TA(0) and
 * PKIX-EE(1) are unusable for SMTP (RFC 7672 §3.1.3), as are unknown selectors and
 * matching types.
 */
import { createHash, X509Certificate } from 'node:crypto';

export interface Tlsa {
  usage: number;
  selector: number;
  matchingType: number;
  certificate: Buffer;
}

export type TlsaMatch = { status: 'match'; record: string; usage: number } | { status: 'no-match' } | { status: 'unusable' };

export const tlsaText = (t: Tlsa): string => `${t.usage} ${t.selector} ${t.matchingType} ${t.certificate.toString('hex')}`;

const usable = (t: Tlsa) => (t.usage === 2 || t.usage === 3) && (t.selector === 0 || t.selector === 1) && [0, 1, 2].includes(t.matchingType);

function selected(der: Buffer, selector: number): Buffer | null {
  if (selector === 0) return der;
  try {
    return new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    return null;
  }
}

function matches(t: Tlsa, der: Buffer): boolean {
  const data = selected(der, t.selector);
  if (!data) return false;
  const value = t.matchingType === 0 ? data : createHash(t.matchingType === 1 ? 'sha256' : 'sha512').update(data).digest();
  return value.equals(t.certificate);
}

/**
 * DANE-TA (RFC 7672 §3.1.2): the certificates from the server's own up to the one the
 * record names each signed by the next, all within their dates, and the server's naming
 * the MX host — the checks a public CA would get, with the TA in its place.
 */
function chainsTo(chain: Buffer[], ta: number, host: string, now: Date): boolean {
  try {
    const certs = chain.slice(0, ta + 1).map((der) => new X509Certificate(der));
    const inDates = certs.every((c) => new Date(c.validFrom) <= now && now <= new Date(c.validTo));
    const signed = certs.slice(0, -1).every((c, k) => c.verify(certs[k + 1]!.publicKey));
    return inDates && signed && certs[0]!.checkHost(host) !== undefined;
  } catch {
    return false;
  }
}

/** The TLSA records against the chain as the server sent it, its own certificate first. */
export function matchTlsa(records: Tlsa[], chain: Buffer[], host: string, now = new Date()): TlsaMatch {
  const candidates = records.filter(usable);
  if (candidates.length === 0) return { status: 'unusable' };
  for (const t of candidates) {
    if (t.usage === 3 && chain[0] && matches(t, chain[0])) return { status: 'match', record: tlsaText(t), usage: 3 };
    if (t.usage === 2) {
      const ta = chain.findIndex((der, k) => k > 0 && matches(t, der));
      if (ta > 0 && chainsTo(chain, ta, host, now)) return { status: 'match', record: tlsaText(t), usage: 2 };
    }
  }
  return { status: 'no-match' };
}
