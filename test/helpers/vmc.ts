/**
 * Mark certificates (VMC) for the BIMI tests, made with the machine's openssl and the
 * logotype extension (RFC 3709) encoded by @peculiar/asn1-x509-logotype: a test BIMI root,
 * and leaves carrying the BIMI extended key usage, the domain, and a gzipped SVG with its
 * SHA-256 — as issuers make them. Variants: another domain, no BIMI usage, a chain whose
 * issuer name is right but whose signature is another key's.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AsnSerializer, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { HashAlgAndValue, LogotypeData, LogotypeDetails, LogotypeExtn, LogotypeImage, LogotypeInfo } from '@peculiar/asn1-x509-logotype';

const BIMI_EKU = '1.3.6.1.5.5.7.3.31';
const LOGOTYPE_OID = '1.3.6.1.5.5.7.1.12';
const SHA256_OID = '2.16.840.1.101.3.4.2.1';

function logotypeDer(svg: string): string {
  const details = new LogotypeDetails({
    mediaType: 'image/svg+xml',
    logotypeHash: [new HashAlgAndValue({ hashAlg: new AlgorithmIdentifier({ algorithm: SHA256_OID }), hashValue: new OctetString(createHash('sha256').update(svg).digest()) })],
    logotypeURI: [`data:image/svg+xml;base64,${gzipSync(svg).toString('base64')}`],
  });
  const extn = new LogotypeExtn({ subjectLogo: new LogotypeInfo({ direct: new LogotypeData({ image: [new LogotypeImage({ imageDetails: details })] }) }) });
  return Buffer.from(AsnSerializer.serialize(extn)).toString('hex').toUpperCase();
}

export interface TestVmcs {
  /** The test BIMI root (PEM): what --ca-file adds to the BIMI issuers. */
  root: string;
  /** PEM bundles by name: good, otherDomain, noBimiUsage, forged. */
  bundles: Record<'good' | 'otherDomain' | 'noBimiUsage' | 'forged', string>;
  remove(): void;
}

export function makeTestVmcs(domains: string[], svg: string): TestVmcs {
  const dir = mkdtempSync(join(tmpdir(), 'presend-vmc-'));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ca = (name: string) => openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-subj', '/CN=presend test BIMI root', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', `${name}.pem`]);
  ca('root');
  // Another key under the same name: what it signs names the right issuer and does not verify.
  ca('impostor');
  const leaf = (name: string, san: string, eku: string | null, signer: string) => {
    writeFileSync(join(dir, `${name}.ext`), [`subjectAltName=${san}`, 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', ...(eku ? [`extendedKeyUsage=${eku}`] : []), `${LOGOTYPE_OID}=DER:${logotypeDer(svg)}`, ''].join('\n'));
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-subj', `/CN=Shop Brand/O=Shop Brand Ltd`, '-out', `${name}.csr`]);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${signer}.pem`, '-CAkey', `${signer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
    return readFileSync(join(dir, `${name}.pem`), 'utf8');
  };
  const root = readFileSync(join(dir, 'root.pem'), 'utf8');
  const san = domains.map((d) => `DNS:${d}`).join(',');
  return {
    root,
    bundles: {
      good: leaf('good', san, BIMI_EKU, 'root') + root,
      otherDomain: leaf('other', 'DNS:other.example', BIMI_EKU, 'root') + root,
      noBimiUsage: leaf('nobimi', san, 'serverAuth', 'root') + root,
      forged: leaf('forged', san, BIMI_EKU, 'impostor') + root,
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
