/**
 * What every TLS connection presend makes trusts: the system's CAs, and --ca-file's beside
 * them. Node's `ca` option replaces the defaults rather than adding to them, so an extra CA
 * is given with the system's list, never alone.
 */
import { rootCertificates } from 'node:tls';

export const trustedCas = (extraCa: string | undefined): { ca?: string[] } => (extraCa ? { ca: [...rootCertificates, extraCa] } : {});
