/**
 * DNSSEC signature algorithms (RFC 8624 §3.1: the ones a validator must or should know),
 * their DNSKEY public keys as node:crypto keys, and verification. DSA (3, 6) and GOST (12)
 * are not validated: a zone signed only with them is insecure to presend, as RFC 4035 §5.2
 * says of unknown algorithms.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

interface Algorithm {
  name: string;
  hash: string | null;
  kind: 'rsa' | 'ec' | 'okp';
  curve?: 'P-256' | 'P-384' | 'Ed25519' | 'Ed448';
  /** Bytes of a coordinate (EC) or of the key (EdDSA). */
  size?: number;
}

const ALGORITHMS: Record<number, Algorithm> = {
  5: { name: 'RSASHA1', hash: 'sha1', kind: 'rsa' },
  7: { name: 'RSASHA1-NSEC3-SHA1', hash: 'sha1', kind: 'rsa' },
  8: { name: 'RSASHA256', hash: 'sha256', kind: 'rsa' },
  10: { name: 'RSASHA512', hash: 'sha512', kind: 'rsa' },
  13: { name: 'ECDSAP256SHA256', hash: 'sha256', kind: 'ec', curve: 'P-256', size: 32 },
  14: { name: 'ECDSAP384SHA384', hash: 'sha384', kind: 'ec', curve: 'P-384', size: 48 },
  15: { name: 'ED25519', hash: null, kind: 'okp', curve: 'Ed25519', size: 32 },
  16: { name: 'ED448', hash: null, kind: 'okp', curve: 'Ed448', size: 57 },
};

export const supportedAlgorithm = (algorithm: number): boolean => algorithm in ALGORITHMS;
export const algorithmName = (algorithm: number): string => ALGORITHMS[algorithm]?.name ?? `algorithm ${algorithm}`;

const b64url = (b: Buffer) => b.toString('base64url');

/** RFC 3110 (RSA), RFC 6605 (ECDSA), RFC 8080 (EdDSA) key formats; null when the key is malformed or the algorithm unknown. */
export function publicKey(algorithm: number, key: Buffer): KeyObject | null {
  const a = ALGORITHMS[algorithm];
  if (!a) return null;
  try {
    if (a.kind === 'rsa') {
      if (key.length < 3) return null;
      const long = key[0] === 0;
      const exponentLength = long ? key.readUInt16BE(1) : key[0]!;
      const start = long ? 3 : 1;
      if (exponentLength === 0 || start + exponentLength >= key.length) return null;
      return createPublicKey({ key: { kty: 'RSA', e: b64url(key.subarray(start, start + exponentLength)), n: b64url(key.subarray(start + exponentLength)) }, format: 'jwk' });
    }
    if (a.kind === 'ec') {
      if (key.length !== a.size! * 2) return null;
      return createPublicKey({ key: { kty: 'EC', crv: a.curve, x: b64url(key.subarray(0, a.size)), y: b64url(key.subarray(a.size)) }, format: 'jwk' });
    }
    if (key.length !== a.size) return null;
    return createPublicKey({ key: { kty: 'OKP', crv: a.curve, x: b64url(key) }, format: 'jwk' });
  } catch {
    return null;
  }
}

/** The signature over `data` verifies with the key (ECDSA signatures are r‖s, RFC 6605 §4). */
export function verifySignature(algorithm: number, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const a = ALGORITHMS[algorithm];
  if (!a) return false;
  try {
    return a.kind === 'ec' ? verify(a.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature) : verify(a.hash, data, key, signature);
  } catch {
    return false;
  }
}
