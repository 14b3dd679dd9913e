/**
 * The mark certificate a BIMI record names with `a=` (a VMC or CMC): @postalsys/vmc (the
 * library mailauth's BIMI uses) reads the PEM bundle — the chain's names and dates, a root
 * among the BIMI issuers' (or --ca-file's), the BIMI extended key usage, the logotype
 * extension and the logo's hash. It matches issuers by name only, so presend verifies each
 * signature up the chain itself (node:crypto). Then the certificate must name the domain,
 * and its logo must be the one `l=` serves: receivers show the certificate's, not l='s.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { organizationalDomain } from '../message/organization.js';
import type { Prose } from '../prose.js';

export type VmcVerdict = { status: 'ok'; type: string; subject: string; validTo: string } | { status: 'invalid'; problem: Prose; code?: string };

interface VmcResult {
  type: string;
  hashAlgo?: string;
  hashValue?: string;
  validHash?: boolean;
  certificate?: { subject?: { commonName?: string; organizationName?: string }; subjectAltName?: string[]; validTo?: string };
}
interface VmcLibrary {
  vmc(pem: Buffer, options: { rootStore: { addCert(pem: string): boolean }; now?: Date }): Promise<VmcResult>;
  RootStore: { create(): { addCert(pem: string): boolean; rootCerts: X509Certificate[] } };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** At most this many certificates of a bundle are read. */
const MAX_CERTS = 8;

/** Each certificate signed by the next, and the last by a root of the store (the library checks names, not signatures). */
function signaturesVerify(pem: string, roots: X509Certificate[]): boolean {
  const certs = (pem.match(PEM_CERT) ?? []).slice(0, MAX_CERTS).map((c) => new X509Certificate(c));
  if (certs.length === 0) return false;
  for (let i = 0; i + 1 < certs.length; i++) if (!certs[i]!.verify(certs[i + 1]!.publicKey)) return false;
  const top = certs[certs.length - 1]!;
  return roots.some((root) => root.fingerprint256 === top.fingerprint256 || (top.checkIssued(root) && top.verify(root.publicKey)));
}

export async function verifyVmc(pem: Buffer, domain: string, logo: Buffer | null, extraCa: string | undefined, now = new Date()): Promise<VmcVerdict> {
  // @postalsys/vmc ships no types: its shape is declared above, for what presend reads.
  // @ts-expect-error: an untyped CommonJS module.
  const library = (await import('@postalsys/vmc')) as unknown as VmcLibrary;
  const rootStore = library.RootStore.create();
  for (const ca of extraCa?.match(PEM_CERT) ?? []) rootStore.addCert(ca);
  let result: VmcResult;
  try {
    result = await library.vmc(pem, { rootStore, now });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { status: 'invalid', code: e.code ?? 'ERROR', problem: { en: `the certificate does not verify (${e.code ?? 'error'}: ${e.message})`, zh: `证书验证失败（${e.code ?? 'error'}）` } };
  }
  try {
    if (!signaturesVerify(pem.toString('utf8'), rootStore.rootCerts)) return { status: 'invalid', code: 'BAD_SIGNATURE', problem: { en: 'a signature in its chain does not verify: the certificate is not the issuer’s', zh: '证书链中的签名验证失败：该证书并非签发者所签' } };
  } catch {
    return { status: 'invalid', code: 'INVALID_CERT_BUNDLE', problem: { en: 'its PEM bundle cannot be read', zh: '无法读取其 PEM 证书包' } };
  }
  const names = (result.certificate?.subjectAltName ?? []).map((n) => n.toLowerCase().replace(/^dns:/, ''));
  const org = organizationalDomain(domain);
  if (!names.includes(domain) && !names.includes(org)) return { status: 'invalid', code: 'WRONG_DOMAIN', problem: { en: `it is issued for ${names.join(', ') || 'no domain'}, not ${domain}`, zh: `它签发给 ${names.join('、') || '无域名'}，而不是 ${domain}` } };
  if (result.validHash !== true) return { status: 'invalid', code: 'LOGO_HASH', problem: { en: 'the logo inside it does not match its own hash', zh: '其内嵌徽标与证书自身记录的哈希不符' } };
  if (logo && result.hashAlgo && result.hashValue && createHash(result.hashAlgo).update(logo).digest('hex') !== result.hashValue) {
    return { status: 'invalid', code: 'LOGO_MISMATCH', problem: { en: 'the logo l= serves is not the one in the certificate: receivers show the certificate’s', zh: 'l= 提供的徽标与证书中的不同：收件方显示的是证书中的徽标' } };
  }
  const subject = result.certificate?.subject?.organizationName ?? result.certificate?.subject?.commonName ?? '';
  return { status: 'ok', type: result.type, subject, validTo: result.certificate?.validTo ?? '' };
}
