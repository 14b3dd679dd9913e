/**
 * DNSSEC's view of a reply (RFC 4034): records grouped into RRsets with the RRSIGs that
 * cover them, names in canonical order, the canonical wire form a signature covers, key
 * tags and DS digests. dns-packet is the codec; the canonical forms are written here because
 * no maintained npm package exposes them apart from a whole validator (see validator.ts).
 */
import { createHash } from 'node:crypto';
import dnsPacket, { type Answer } from 'dns-packet';

interface Codec<T> {
  encode(value: T): Buffer;
  encodingLength(value: T): number;
}

/** @internal dns-packet's codecs for single names, records and RDATA: exported by the package, left out of its published types. */
export const codecs = dnsPacket as unknown as { name: Codec<string>; answer: Codec<Answer>; rrsig: Codec<Rrsig>; dnskey: Codec<Dnskey> };

/** An RRSIG's fields as dns-packet decodes them. */
export interface Rrsig {
  typeCovered: string;
  algorithm: number;
  labels: number;
  originalTTL: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signersName: string;
  signature: Buffer;
}

export interface Dnskey {
  flags: number;
  algorithm: number;
  key: Buffer;
}

export interface Ds {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}

/** @internal The records of one owner and type in a section, with the signatures over them. */
export interface RRset {
  name: string;
  type: string;
  records: Answer[];
  sigs: Rrsig[];
}

/** Lower-case, no trailing dot, the root as '.'. */
export function dnssecName(name: string): string {
  const trimmed = name.toLowerCase().replace(/\.$/, '');
  return trimmed === '' ? '.' : trimmed;
}

export const labelsOf = (name: string): string[] => (name === '.' ? [] : name.split('.'));

export function parentOf(name: string): string {
  const labels = labelsOf(name);
  return labels.length <= 1 ? '.' : labels.slice(1).join('.');
}

/** `name` is `ancestor` or below it. */
export function isAtOrBelow(name: string, ancestor: string): boolean {
  return ancestor === '.' || name === ancestor || name.endsWith(`.${ancestor}`);
}

/** RFC 4034 §6.1: labels compared from the right, each as lower-case octets; a name sorts after its ancestors. */
export function compareNames(a: string, b: string): number {
  const la = labelsOf(a).reverse();
  const lb = labelsOf(b).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const c = Buffer.compare(Buffer.from(la[i]!, 'utf8'), Buffer.from(lb[i]!, 'utf8'));
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}

/** @internal Groups a section's records into RRsets, each RRSIG joined to the set it covers. */
export function rrsetsOf(section: readonly Answer[] | undefined): RRset[] {
  const sets = new Map<string, RRset>();
  const get = (name: string, type: string) => {
    const key = `${name} ${type}`;
    let set = sets.get(key);
    if (!set) sets.set(key, (set = { name, type, records: [], sigs: [] }));
    return set;
  };
  for (const answer of section ?? []) {
    if (typeof answer.name !== 'string' || answer.type === 'OPT') continue;
    const name = dnssecName(answer.name);
    if (answer.type === 'RRSIG') {
      const sig = (answer as { data?: Rrsig }).data;
      if (sig && typeof sig.typeCovered === 'string') get(name, sig.typeCovered).sigs.push({ ...sig, signersName: dnssecName(sig.signersName) });
    } else get(name, answer.type).records.push(answer);
  }
  return [...sets.values()];
}

/** @internal */
export const findRRset = (sets: readonly RRset[], name: string, type: string): RRset | undefined => sets.find((s) => s.name === name && s.type === type && s.records.length > 0);

/** RFC 4034 §6.2 (as RFC 6840 §5.1 narrows it): the record types whose embedded names are lower-cased for signing. */
function canonicalData(type: string, data: unknown): unknown {
  switch (type) {
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return typeof data === 'string' ? data.toLowerCase() : data;
    case 'MX': {
      const mx = data as { exchange: string };
      return { ...mx, exchange: mx.exchange.toLowerCase() };
    }
    case 'SOA': {
      const soa = data as { mname: string; rname: string };
      return { ...soa, mname: soa.mname.toLowerCase(), rname: soa.rname.toLowerCase() };
    }
    case 'SRV': {
      const srv = data as { target: string };
      return { ...srv, target: srv.target.toLowerCase() };
    }
    default:
      return data;
  }
}

/** The wire name of a DNSSEC name ('.' the root). */
const wireName = (name: string): string => (name === '.' ? '.' : name);

/** @internal RFC 4034 §3.1.8.1: the RRSIG's RDATA without its signature, then the RRset's records in canonical form and order. */
export function signedData(set: RRset, sig: Rrsig): Buffer {
  const sigRdata = codecs.rrsig.encode({ ...sig, signersName: wireName(sig.signersName), signature: Buffer.alloc(0) }).subarray(2);
  // A wildcard-expanded answer is signed over the wildcard's name (RFC 4035 §5.3.2).
  const labels = labelsOf(set.name);
  const owner = sig.labels < labels.length ? `*.${labels.slice(labels.length - sig.labels).join('.')}` : set.name;
  const records = set.records.map((r) =>
    codecs.answer.encode({ name: wireName(owner), type: set.type, class: 'IN', ttl: sig.originalTTL, data: canonicalData(set.type, (r as { data?: unknown }).data) } as Answer),
  );
  const headerLength = codecs.name.encodingLength(wireName(owner)) + 10;
  const unique = new Map(records.map((r) => [r.toString('hex'), r]));
  const sorted = [...unique.values()].sort((a, b) => Buffer.compare(a.subarray(headerLength), b.subarray(headerLength)));
  return Buffer.concat([sigRdata, ...sorted]);
}

/** A DNSKEY's RDATA (flags, protocol, algorithm, key). */
export const dnskeyRdata = (key: Dnskey): Buffer => codecs.dnskey.encode(key).subarray(2);

/** RFC 4034 Appendix B. */
export function keyTag(key: Dnskey): number {
  const rdata = dnskeyRdata(key);
  let sum = 0;
  for (let i = 0; i < rdata.length; i++) sum += i & 1 ? rdata[i]! : rdata[i]! << 8;
  sum += (sum >> 16) & 0xffff;
  return sum & 0xffff;
}

const DIGESTS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };
export const supportedDigest = (type: number): boolean => type in DIGESTS;

/** RFC 4034 §5.1.4: the digest of the owner's wire name and the DNSKEY's RDATA; null for a digest type presend does not know. */
export function dsDigest(owner: string, key: Dnskey, digestType: number): Buffer | null {
  const algorithm = DIGESTS[digestType];
  if (!algorithm) return null;
  return createHash(algorithm).update(codecs.name.encode(wireName(owner))).update(dnskeyRdata(key)).digest();
}

/** The key a DS names: same tag and algorithm, and the digest matches. */
export const dsMatches = (owner: string, ds: Ds, key: Dnskey): boolean => ds.keyTag === keyTag(key) && ds.algorithm === key.algorithm && (dsDigest(owner, key, ds.digestType)?.equals(ds.digest) ?? false);
