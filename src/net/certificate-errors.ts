/**
 * What a TLS verification error says about the certificate: an untrusted chain, a name it
 * does not carry, or dates it is outside of — the server's fault, seen alike by every
 * client — or null for anything else (a connection that failed, which may be this network's).
 * One reading for the HTTPS fetches (MTA-STS policy, BIMI logo and certificate) and the
 * STARTTLS probe.
 */
export type CertificateProblem = 'untrusted' | 'name-mismatch' | 'expired';

export function certificateProblem(code: string): CertificateProblem | null {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /HOSTNAME_MISMATCH/.test(code)) return 'name-mismatch';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'expired';
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|CERT_UNTRUSTED|CERT_CHAIN_TOO_LONG|INVALID_CA|CERT_REJECTED|CERT_SIGNATURE_FAILURE/.test(code)) return 'untrusted';
  return null;
}
