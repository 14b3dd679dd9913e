/**
 * Signed zones for the DNSSEC tests, made here and served over the wire by the project's
 * zone server (its `responder`): a test root with its own trust anchor, delegations with
 * and without DS, NSEC or NSEC3 chains, and the breakages a validator must name — a
 * record changed after signing, an expired signature, a DS naming another key, a signature
 * stripped. Keys are made by node:crypto (RSASHA256, ECDSAP256SHA256, ED25519); the
 * canonical forms come from src/dnssec/rrset.ts, and BIND's delv validates the same zones
 * in the tests, so a signer and a validator that agreed on a mistake would be caught.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Answer } from 'dns-packet';
import { base32hex, nsec3Hash } from '../../src/dnssec/denial.js';
import { compareNames, dnssecName, dsDigest, isAtOrBelow, keyTag, labelsOf, parentOf, signedData, type Dnskey, type Rrsig } from '../../src/dnssec/rrset.js';
import type { ZoneResponder } from '../../src/dns/zone-server.js';

type Data = unknown;
export type RecordSpec = [name: string, type: string, data: Data];

export interface ZoneSpec {
  origin: string;
  records: RecordSpec[];
  /** Absent: the zone is served unsigned. */
  algorithm?: 8 | 13 | 15;
  nsec3?: { iterations: number; salt: string; optOut?: boolean };
  /** The parent publishes no DS for this zone (an unsigned delegation, or a signed zone no one vouches for). */
  noDs?: boolean;
  /** The parent's DS names a key this zone does not serve. */
  wrongDs?: boolean;
  /** Signatures valid from/until (seconds); default: an hour ago to thirty days ahead. */
  validity?: { inception: number; expiration: number };
  /** After signing: this RRset's first record is changed (its signature no longer matches). */
  tamper?: { name: string; type: string; data: Data };
  /** After signing: this RRset is served without its RRSIG. */
  strip?: { name: string; type: string };
}

interface Key {
  dnskey: Dnskey;
  privateKey: KeyObject;
}

interface BuiltZone {
  spec: ZoneSpec;
  key?: Key;
  /** name → type → records (with RRSIG records beside, as type 'RRSIG:<covered>'). */
  names: Map<string, Map<string, Answer[]>>;
  /** Names at which a child zone is delegated. */
  cuts: Set<string>;
  nsec3Params?: { iterations: number; salt: Buffer; optOut: boolean };
  /** hash → NSEC3 answer (with its RRSIG beside) */
  nsec3: { hash: string; record: Answer; sig: Answer }[];
}

const TTL = 300;

function makeKey(algorithm: 8 | 13 | 15): Key {
  if (algorithm === 8) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    const jwk = publicKey.export({ format: 'jwk' });
    const e = Buffer.from(jwk.e!, 'base64url');
    const n = Buffer.from(jwk.n!, 'base64url');
    return { dnskey: { flags: 257, algorithm, key: Buffer.concat([Buffer.from([e.length]), e, n]) }, privateKey };
  }
  if (algorithm === 13) {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    return { dnskey: { flags: 257, algorithm, key: Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]) }, privateKey };
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { dnskey: { flags: 257, algorithm, key: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url') }, privateKey };
}

const answer = (name: string, type: string, data: Data): Answer => ({ name: name === '.' ? '.' : name, type, class: 'IN', ttl: TTL, data }) as Answer;

function rrsig(zone: BuiltZone, name: string, type: string, records: Answer[]): Answer {
  const now = Math.floor(Date.now() / 1000);
  const validity = zone.spec.validity ?? { inception: now - 3600, expiration: now + 30 * 86400 };
  const labels = labelsOf(name).filter((l, i) => !(i === 0 && l === '*')).length;
  const sig: Rrsig = { typeCovered: type, algorithm: zone.key!.dnskey.algorithm, labels, originalTTL: TTL, expiration: validity.expiration, inception: validity.inception, keyTag: keyTag(zone.key!.dnskey), signersName: zone.spec.origin, signature: Buffer.alloc(0) };
  const data = signedData({ name, type, records, sigs: [] }, sig);
  const algorithm = zone.key!.dnskey.algorithm;
  sig.signature = algorithm === 8 ? sign('sha256', data, zone.key!.privateKey) : algorithm === 13 ? sign('sha256', data, { key: zone.key!.privateKey, dsaEncoding: 'ieee-p1363' }) : sign(null, data, zone.key!.privateKey);
  return answer(name, 'RRSIG', sig);
}

function add(zone: BuiltZone, name: string, type: string, data: Data): void {
  const n = dnssecName(name);
  let types = zone.names.get(n);
  if (!types) zone.names.set(n, (types = new Map()));
  types.set(type, [...(types.get(type) ?? []), answer(n, type, data)]);
}

/** Every name of the zone that owns records or has a descendant that does (empty non-terminals), not below a cut. */
function existingNames(zone: BuiltZone): string[] {
  const names = new Set<string>();
  for (const name of zone.names.keys()) {
    if ([...zone.cuts].some((cut) => name !== cut && isAtOrBelow(name, cut))) continue;
    for (let n = name; isAtOrBelow(n, zone.spec.origin); n = parentOf(n)) {
      names.add(n);
      if (n === zone.spec.origin) break;
    }
  }
  return [...names].sort(compareNames);
}

/** The signed world: build the zones (children first need their keys for the parents' DS), sign, chain. */
export class SignedWorld implements ZoneResponder {
  private readonly zones: BuiltZone[];

  constructor(specs: ZoneSpec[]) {
    this.zones = specs.map((spec) => ({ spec: { ...spec, origin: dnssecName(spec.origin) }, names: new Map(), cuts: new Set(), nsec3: [] }));
    for (const z of this.zones) if (z.spec.algorithm) z.key = makeKey(z.spec.algorithm);
    for (const z of this.zones) {
      const origin = z.spec.origin;
      add(z, origin, 'SOA', { mname: `ns.${origin === '.' ? 'root' : origin}`, rname: `hostmaster.${origin === '.' ? 'root' : origin}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: TTL });
      add(z, origin, 'NS', `ns.${origin === '.' ? 'root' : origin}`);
      if (z.key) add(z, origin, 'DNSKEY', z.key.dnskey);
      for (const [name, type, data] of z.spec.records) add(z, name, type, data);
      const parent = this.parentZone(origin);
      if (!parent) continue;
      parent.cuts.add(origin);
      add(parent, origin, 'NS', `ns.${origin}`);
      if (z.key && !z.spec.noDs) {
        const dnskey = z.spec.wrongDs ? makeKey(z.spec.algorithm!).dnskey : z.key.dnskey;
        add(parent, origin, 'DS', { keyTag: keyTag(dnskey), algorithm: dnskey.algorithm, digestType: 2, digest: dsDigest(origin, dnskey, 2)! });
      }
    }
    for (const z of this.zones) if (z.key) this.sign(z);
  }

  /** The test trust anchor: the root's DS, in the presentation format `--trust-anchor` reads. */
  trustAnchor(): string {
    const root = this.zones.find((z) => z.spec.origin === '.')!;
    const k = root.key!.dnskey;
    return `. IN DS ${keyTag(k)} ${k.algorithm} 2 ${dsDigest('.', k, 2)!.toString('hex').toUpperCase()}\n`;
  }

  /** A zone's DS line as its parent would publish it (for delv's anchors and for tests). */
  private parentZone(origin: string): BuiltZone | undefined {
    if (origin === '.') return undefined;
    let best: BuiltZone | undefined;
    for (const z of this.zones) if (z.spec.origin !== origin && isAtOrBelow(origin, z.spec.origin) && (!best || labelsOf(z.spec.origin).length > labelsOf(best.spec.origin).length)) best = z;
    return best;
  }

  private sign(z: BuiltZone): void {
    const names = existingNames(z);
    if (z.spec.nsec3) {
      const salt = Buffer.from(z.spec.nsec3.salt, 'hex');
      z.nsec3Params = { iterations: z.spec.nsec3.iterations, salt, optOut: z.spec.nsec3.optOut ?? false };
      // Opt-out leaves unsigned delegations out of the chain (RFC 5155 §6).
      const chained = names.filter((n) => !(z.nsec3Params!.optOut && z.cuts.has(n) && !z.names.get(n)?.has('DS')));
      const hashed = chained.map((n) => ({ name: n, hash: nsec3Hash(n, salt, z.nsec3Params!.iterations) })).sort((a, b) => (a.hash < b.hash ? -1 : 1));
      hashed.forEach(({ name, hash }, i) => {
        const next = hashed[(i + 1) % hashed.length]!.hash;
        const types = [...(z.names.get(name)?.keys() ?? [])];
        const signedTypes = z.cuts.has(name) ? types.filter((t) => t === 'DS') : types;
        const rrtypes = [...types, ...(signedTypes.length > 0 ? ['RRSIG'] : [])];
        const owner = `${hash}.${z.spec.origin}`;
        const record = answer(owner, 'NSEC3', { algorithm: 1, flags: z.nsec3Params!.optOut ? 1 : 0, iterations: z.nsec3Params!.iterations, salt, nextDomain: Buffer.from(base32ToBytes(next)), rrtypes });
        z.nsec3.push({ hash, record, sig: rrsig(z, owner, 'NSEC3', [record]) });
      });
    } else {
      names.forEach((name, i) => {
        const next = names[(i + 1) % names.length]!;
        const types = [...(z.names.get(name)?.keys() ?? [])];
        if (types.length === 0) return; // an empty non-terminal owns no NSEC
        add(z, name, 'NSEC', { nextDomain: nextOwning(z, names, i) ?? next, rrtypes: [...types, 'RRSIG', 'NSEC'] });
      });
    }
    for (const [name, types] of z.names) {
      for (const [type, records] of [...types]) {
        if (type.startsWith('RRSIG:')) continue;
        // At a cut only the DS is the parent's to sign; the NS there belongs to the child.
        if (z.cuts.has(name) && type !== 'DS' && type !== 'NSEC') continue;
        types.set(`RRSIG:${type}`, [rrsig(z, name, type, records)]);
      }
    }
    const t = z.spec.tamper;
    if (t) {
      const records = z.names.get(dnssecName(t.name))!.get(t.type)!;
      records[0] = answer(dnssecName(t.name), t.type, t.data);
    }
    if (z.spec.strip) z.names.get(dnssecName(z.spec.strip.name))!.delete(`RRSIG:${z.spec.strip.type}`);
  }

  private zoneFor(name: string, type: string): BuiltZone | undefined {
    let best: BuiltZone | undefined;
    for (const z of this.zones) {
      if (!isAtOrBelow(name, z.spec.origin)) continue;
      // DS lives in the parent (RFC 4035 §3.1.4.1).
      if (type === 'DS' && name === z.spec.origin && name !== '.') continue;
      if (!best || labelsOf(z.spec.origin).length > labelsOf(best.spec.origin).length) best = z;
    }
    return best;
  }

  respond(rawName: string, type: string, dnssecOk: boolean): { rcode: number; answers: Answer[]; authorities: Answer[] } | undefined {
    const name = dnssecName(rawName);
    const z = this.zoneFor(name, type);
    if (!z) return undefined;
    const withSig = (t: Map<string, Answer[]>, rtype: string) => [...(t.get(rtype) ?? []), ...(dnssecOk ? (t.get(`RRSIG:${rtype}`) ?? []) : [])];
    const apex = z.names.get(z.spec.origin)!;
    const soa = () => withSig(apex, 'SOA');
    const types = z.names.get(name);
    const exists = types !== undefined || existingNames(z).includes(name);
    if (types?.has(type)) return { rcode: 0, answers: withSig(types, type), authorities: [] };
    if (types?.has('CNAME')) {
      const cname = withSig(types, 'CNAME');
      const target = this.respond(String((types.get('CNAME')![0] as { data: string }).data), type, dnssecOk);
      return { rcode: target?.rcode ?? 0, answers: [...cname, ...(target?.answers ?? [])], authorities: target?.authorities ?? [] };
    }
    // RFC 4592: a name that does not exist is answered from the closest encloser's wildcard, with the proof that it does not exist.
    if (!exists) {
      let encloser = parentOf(name);
      while (!existingNames(z).includes(encloser) && encloser !== z.spec.origin) encloser = parentOf(encloser);
      const wild = z.names.get(`*.${encloser}`);
      if (wild?.has(type)) {
        const renamed = withSig(wild, type).map((a) => ({ ...a, name }) as Answer);
        return { rcode: 0, answers: renamed, authorities: dnssecOk && z.key ? this.denial(z, name, true) : [] };
      }
    }
    const denial = dnssecOk && z.key ? this.denial(z, name, exists) : [];
    return { rcode: exists ? 0 : 3, answers: [], authorities: [...soa(), ...denial] };
  }

  private denial(z: BuiltZone, name: string, exists: boolean): Answer[] {
    if (z.nsec3Params) {
      const { salt, iterations } = z.nsec3Params;
      const match = (n: string) => z.nsec3.find((r) => r.hash === nsec3Hash(n, salt, iterations));
      const cover = (n: string) => {
        const h = nsec3Hash(n, salt, iterations);
        return z.nsec3.find((r, i) => {
          const next = z.nsec3[(i + 1) % z.nsec3.length]!.hash;
          return next <= r.hash ? h > r.hash || h < next : h > r.hash && h < next;
        });
      };
      const pick = (...found: ({ record: Answer; sig: Answer } | undefined)[]) => [...new Set(found.filter((f) => f !== undefined))].flatMap((f) => [f.record, f.sig]);
      if (exists && match(name)) return pick(match(name));
      let encloser = parentOf(name);
      let nextCloser = name;
      while (!match(encloser) && encloser !== z.spec.origin) {
        nextCloser = encloser;
        encloser = parentOf(encloser);
      }
      return pick(match(encloser), cover(nextCloser), cover(`*.${encloser}`));
    }
    const nsecs = [...z.names.entries()].filter(([, t]) => t.has('NSEC')).map(([owner, t]) => ({ owner, records: [...t.get('NSEC')!, ...(t.get('RRSIG:NSEC') ?? [])], next: dnssecName(String((t.get('NSEC')![0] as { data: { nextDomain: string } }).data.nextDomain)) }));
    const covering = (n: string) => nsecs.find((x) => (compareNames(x.next, x.owner) <= 0 ? compareNames(x.owner, n) < 0 || compareNames(n, x.next) < 0 : compareNames(x.owner, n) < 0 && compareNames(n, x.next) < 0));
    const own = nsecs.find((x) => x.owner === name);
    if (own) return own.records;
    const first = covering(name);
    if (exists || !first) return first?.records ?? [];
    let encloser = parentOf(name);
    while (!existingNames(z).includes(encloser)) encloser = parentOf(encloser);
    const wildcard = covering(encloser === '.' ? '*' : `*.${encloser}`);
    return [...new Set([...first.records, ...(wildcard?.records ?? [])])];
  }
}

/** The next name in the chain that owns records (empty non-terminals own no NSEC). */
function nextOwning(z: BuiltZone, names: string[], i: number): string | undefined {
  for (let k = 1; k <= names.length; k++) {
    const candidate = names[(i + k) % names.length]!;
    if ((z.names.get(candidate)?.size ?? 0) > 0) return candidate;
  }
  return undefined;
}

function base32ToBytes(text: string): Buffer {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
