/**
 * Authenticated denial of existence: what verified NSEC (RFC 4034 §4, RFC 4035 §5.4) and
 * NSEC3 (RFC 5155 §8) records prove about a name — that it has no record of a type, that
 * it does not exist (with no wildcard to stand in for it), or that a delegation is unsigned.
 * The records given here are already verified against the zone's keys.
 */
import { createHash } from 'node:crypto';
import { codecs, compareNames, isAtOrBelow, labelsOf, parentOf } from './rrset.js';

export interface NsecRecord {
  owner: string;
  next: string;
  types: Set<string>;
}

export interface Nsec3Record {
  /** The owner's first label: the base32hex hash, lower-case. */
  hash: string;
  zone: string;
  next: string;
  types: Set<string>;
  optOut: boolean;
  iterations: number;
  salt: Buffer;
  algorithm: number;
}

export interface DenialRecords {
  nsec: NsecRecord[];
  nsec3: Nsec3Record[];
}

/** RFC 9276 §3.2: a validator may call a zone insecure past this many extra iterations; presend does, and says so. */
export const MAX_NSEC3_ITERATIONS = 150;

/** What the records prove about a name and a type. */
export type Denial =
  | { kind: 'no-type' }
  | { kind: 'no-name' }
  /** NSEC3 opt-out covers the name: an unsigned delegation may stand there (RFC 5155 §6). */
  | { kind: 'opt-out' }
  | { kind: 'none' };

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/** RFC 4648 §7 without padding, lower-case: how NSEC3 writes its hashes. */
export function base32hex(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 5155 §5: SHA-1 of the wire name and salt, iterated. */
export function nsec3Hash(name: string, salt: Buffer, iterations: number): string {
  let digest = createHash('sha1').update(codecs.name.encode(name)).update(salt).digest();
  for (let i = 0; i < iterations; i++) digest = createHash('sha1').update(digest).update(salt).digest();
  return base32hex(digest);
}

/** An NSEC covers `name` when name sorts strictly between its owner and next (the last NSEC wraps to the apex). */
function nsecCovers(n: NsecRecord, name: string): boolean {
  const afterOwner = compareNames(n.owner, name) < 0;
  const wraps = compareNames(n.next, n.owner) <= 0;
  return wraps ? afterOwner || compareNames(name, n.next) < 0 : afterOwner && compareNames(name, n.next) < 0;
}

const nsec3Covers = (n: Nsec3Record, hash: string): boolean => (n.next <= n.hash ? hash > n.hash || hash < n.next : hash > n.hash && hash < n.next);

/** The longest ancestor of `name` that is also an ancestor (or equal) of `other`. */
function commonAncestor(name: string, other: string): string {
  let candidate = parentOf(name);
  while (candidate !== '.' && !isAtOrBelow(other, candidate)) candidate = parentOf(candidate);
  return candidate;
}

function nsecDenial(name: string, type: string, records: NsecRecord[]): Denial {
  const own = records.find((n) => n.owner === name);
  if (own) return own.types.has(type) || own.types.has('CNAME') ? { kind: 'none' } : { kind: 'no-type' };
  const cover = records.find((n) => nsecCovers(n, name));
  if (!cover) return { kind: 'none' };
  // An empty non-terminal: the name exists because a name below it does (RFC 4035 §3.1.3.2).
  if (isAtOrBelow(cover.next, name) && cover.next !== name) return { kind: 'no-type' };
  const encloser = [commonAncestor(name, cover.owner), commonAncestor(name, cover.next)].sort((a, b) => labelsOf(b).length - labelsOf(a).length)[0]!;
  const wildcard = encloser === '.' ? '*' : `*.${encloser}`;
  const wildcardDenied = records.some((n) => nsecCovers(n, wildcard)) || records.some((n) => n.owner === wildcard && !n.types.has(type) && !n.types.has('CNAME'));
  return wildcardDenied ? { kind: 'no-name' } : { kind: 'none' };
}

function nsec3Denial(name: string, type: string, records: Nsec3Record[], zone: string): Denial {
  const params = records[0]!;
  const hash = (n: string) => nsec3Hash(n, params.salt, params.iterations);
  const matching = (n: string) => records.find((r) => r.hash === hash(n));
  const own = matching(name);
  if (own) return own.types.has(type) || own.types.has('CNAME') ? { kind: 'none' } : { kind: 'no-type' };
  // RFC 5155 §8.3: the closest encloser exists, the next closer name is covered, and so is the wildcard.
  let nextCloser = name;
  let encloser = parentOf(name);
  while (isAtOrBelow(encloser, zone) && !matching(encloser)) {
    if (encloser === zone) return { kind: 'none' };
    nextCloser = encloser;
    encloser = parentOf(encloser);
  }
  if (!isAtOrBelow(encloser, zone)) return { kind: 'none' };
  const cover = records.find((r) => nsec3Covers(r, hash(nextCloser)));
  if (!cover) return { kind: 'none' };
  if (cover.optOut) return { kind: 'opt-out' };
  const wildcard = encloser === '.' ? '*' : `*.${encloser}`;
  return records.some((r) => nsec3Covers(r, hash(wildcard))) ? { kind: 'no-name' } : { kind: 'none' };
}

/** What the zone's verified denial records prove about (name, type). */
export function denialOf(name: string, type: string, records: DenialRecords, zone: string): Denial {
  if (records.nsec.length > 0) return nsecDenial(name, type, records.nsec);
  if (records.nsec3.length > 0) return nsec3Denial(name, type, records.nsec3, zone);
  return { kind: 'none' };
}

/**
 * A wildcard answer's proof (RFC 4035 §5.3.4, RFC 5155 §8.8): the name asked does not exist —
 * an NSEC covers it, or an NSEC3 covers the next closer name below the wildcard's encloser
 * (`signedLabels`: the RRSIG's label count, the encloser's length).
 */
export function provesNoExactMatch(name: string, signedLabels: number, records: DenialRecords): boolean {
  if (records.nsec.length > 0) return records.nsec.some((n) => n.owner !== name && nsecCovers(n, name));
  const params = records.nsec3[0];
  if (!params) return false;
  const labels = labelsOf(name);
  const nextCloser = labels.slice(labels.length - signedLabels - 1).join('.');
  const hash = nsec3Hash(nextCloser, params.salt, params.iterations);
  return records.nsec3.some((r) => nsec3Covers(r, hash));
}

/** The type bitmap at the name itself, where an NSEC or NSEC3 record owns it: how a DS denial tells a delegation from a name inside the zone. */
export function typesAt(name: string, records: DenialRecords): Set<string> | undefined {
  const nsec = records.nsec.find((n) => n.owner === name);
  if (nsec) return nsec.types;
  const params = records.nsec3[0];
  if (!params) return undefined;
  const hash = nsec3Hash(name, params.salt, params.iterations);
  return records.nsec3.find((r) => r.hash === hash)?.types;
}
