/**
 * DNSSEC validation from a trust anchor to an answer (RFC 4035 §5): every zone cut between
 * the root and the name is found by asking for DS at each ancestor, each DS set verified by
 * the parent's keys, each DNSKEY set by a key its DS names, the answer — or its denial, by
 * NSEC or NSEC3 — by the keys of the zone that holds it. The result is secure, insecure (an
 * unsigned delegation, proven), bogus (with the broken link named) or could-not-check
 * (a resolver that failed or strips DNSSEC records): "signed" is never taken for "secure".
 *
 * Written here rather than taken from npm: @relaycorp/dnssec, the one maintained
 * validator, does not implement NSEC or NSEC3, so it cannot prove an unsigned delegation
 * (insecure) apart from a stripped signature (bogus), nor validate a missing record.
 *
 * Every question for a name (DS and DNSKEY at each ancestor, the question itself) goes out
 * at once: validation adds one round trip, not one per zone.
 */
import type { Packet } from 'dns-packet';
import { outcomeProse } from '../dns/records.js';
import type { PacketOutcome } from '../dns/wire.js';
import type { Prose } from '../prose.js';
import { algorithmName, publicKey, supportedAlgorithm, verifySignature } from './algorithms.js';
import { base32hex, denialOf, MAX_NSEC3_ITERATIONS, provesNoExactMatch, typesAt, type DenialRecords } from './denial.js';
import { dnssecName, dsMatches, findRRset, isAtOrBelow, keyTag, labelsOf, parentOf, rrsetsOf, signedData, supportedDigest, type Dnskey, type Ds, type RRset, type Rrsig } from './rrset.js';

/** @internal */
export type Fetch = (name: string, type: string) => Promise<PacketOutcome>;

export interface TrustAnchor {
  owner: string;
  ds: Ds;
}

export type Security =
  | { status: 'secure' }
  | { status: 'insecure'; at: string; why: Prose }
  | { status: 'bogus'; link: string; why: Prose }
  | { status: 'could-not-check'; why: Prose };

export interface Validated {
  security: Security;
  /** What the answer said, when it came: records, no record of the type, or no such name. */
  outcome?: 'answer' | 'nodata' | 'nxdomain';
  /** The answer's records (their RDATA as dns-packet decodes it), when it is an answer. */
  records?: unknown[];
}

type ZoneState = { status: 'secure'; zone: string; keys: Dnskey[]; nonexistent?: string } | Exclude<Security, { status: 'secure' }>;

/** A name this deep is not walked: no mail record lives there. */
const MAX_LABELS = 16;
const MAX_CNAME_HOPS = 8;
/** Signatures tried per RRset and keys per zone: enough for any rollover, bounded against a hostile reply. */
const MAX_SIGS = 8;
const MAX_KEYS = 16;
const ZONE_KEY = 0x0100;
const RCODE_NXDOMAIN = 3;

const bogus = (link: string, en: string, zh: string): ZoneState => ({ status: 'bogus', link, why: { en, zh } });
const stamp = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/** @internal Validation needs dns-packet's types, kept out of the published declarations. */
export class Validator {
  private readonly walks = new Map<string, Promise<ZoneState>>();
  private readonly asked = new Map<string, Promise<PacketOutcome>>();

  constructor(
    private readonly fetch: Fetch,
    private readonly anchors: TrustAnchor[],
    /** Validation time, seconds since the epoch. */
    private readonly now = Math.floor(Date.now() / 1000),
  ) {}

  private ask(name: string, type: string): Promise<PacketOutcome> {
    const key = `${type} ${name}`;
    let pending = this.asked.get(key);
    if (!pending) this.asked.set(key, (pending = this.fetch(name, type)));
    return pending;
  }

  /** Every question the validation of (name, type) can need, sent at once. */
  private prefetch(name: string, type: string): void {
    void this.ask(name, type);
    for (let n = name; ; n = parentOf(n)) {
      void this.ask(n, 'DNSKEY');
      if (n === '.') break;
      void this.ask(n, 'DS');
    }
  }

  async validate(rawName: string, type: string, hops = 0): Promise<Validated> {
    const name = dnssecName(rawName);
    if (labelsOf(name).length > MAX_LABELS) return { security: { status: 'could-not-check', why: { en: `${name} has more than ${MAX_LABELS} labels`, zh: `${name} 超过 ${MAX_LABELS} 级标签` } } };
    this.prefetch(name, type);
    const state = await this.walk(name);
    if (state.status === 'insecure') {
      // Unsigned, proven: what the answer holds is still said (TLSA records senders will ignore, say).
      const out = await this.ask(name, type);
      const set = out.status === 'reply' ? findRRset(rrsetsOf(out.packet.answers), name, type) : undefined;
      return { security: state, ...(set ? { outcome: 'answer' as const, records: set.records.map((r) => (r as { data?: unknown }).data) } : {}) };
    }
    if (state.status !== 'secure') return { security: state };
    const out = await this.ask(name, type);
    if (out.status !== 'reply') return { security: { status: 'could-not-check', why: { en: `${type} ${name}: ${outcomeProse(out).en}`, zh: `${type} ${name}：${outcomeProse(out).zh}` } } };
    const answers = rrsetsOf(out.packet.answers);
    const set = findRRset(answers, name, type);
    if (set) return { security: this.checkAnswer(set, name, type, state, out.packet), outcome: 'answer', records: set.records.map((r) => (r as { data?: unknown }).data) };
    const cname = type === 'CNAME' ? undefined : findRRset(answers, name, 'CNAME');
    if (cname) {
      const signed = this.verifyRRset(cname, state.zone, state.keys);
      if (signed) return { security: bogus(`CNAME ${name}`, `the CNAME at ${name} does not verify: ${signed.en}`, `${name} 的 CNAME 验证失败：${signed.zh}`) as Security };
      const target = dnssecName(String((cname.records[0] as { data?: unknown }).data));
      if (hops >= MAX_CNAME_HOPS) return { security: { status: 'could-not-check', why: { en: `a CNAME chain longer than ${MAX_CNAME_HOPS}`, zh: `CNAME 链超过 ${MAX_CNAME_HOPS} 跳` } } };
      return this.validate(target, type, hops + 1);
    }
    const nxdomain = ((out.packet.flags ?? 0) & 0xf) === RCODE_NXDOMAIN;
    return { security: this.checkDenial(name, type, nxdomain, state, out.packet), outcome: nxdomain ? 'nxdomain' : 'nodata' };
  }

  private checkAnswer(set: RRset, name: string, type: string, state: Extract<ZoneState, { status: 'secure' }>, packet: Packet): Security {
    if (set.sigs.length === 0) return bogus(`${type} ${name}`, `${state.zone} is signed, but the ${type} answer for ${name} carries no signature`, `${state.zone} 已签名，但 ${name} 的 ${type} 应答没有签名`) as Security;
    const failed = this.verifyRRset(set, state.zone, state.keys);
    if (failed) return bogus(`${type} ${name}`, `the ${type} records of ${name} do not verify: ${failed.en}`, `${name} 的 ${type} 记录验证失败：${failed.zh}`) as Security;
    // A wildcard answer (fewer labels signed than the name has) must come with proof that the name itself does not exist (RFC 4035 §5.3.4).
    const signedLabels = Math.max(...set.sigs.map((s) => s.labels));
    if (signedLabels < labelsOf(name).length) {
      const denial = this.denialRecords(rrsetsOf(packet.authorities), state);
      if (!('records' in denial) || !provesNoExactMatch(name, signedLabels, denial.records)) {
        return bogus(`${type} ${name}`, `the ${type} answer for ${name} is a wildcard's, without signed proof that ${name} itself does not exist`, `${name} 的 ${type} 应答来自通配符，却没有已签名的证明表明 ${name} 本身不存在`) as Security;
      }
    }
    return { status: 'secure' };
  }

  private checkDenial(name: string, type: string, nxdomain: boolean, state: Extract<ZoneState, { status: 'secure' }>, packet: Packet): Security {
    const what = nxdomain ? { en: `that ${name} does not exist`, zh: `${name} 不存在` } : { en: `that ${name} has no ${type} record`, zh: `${name} 没有 ${type} 记录` };
    const denial = this.denialRecords(rrsetsOf(packet.authorities), state);
    if ('why' in denial) return bogus(`${type} ${name}`, `${state.zone} is signed, but the answer ${what.en} does not verify: ${denial.why.en}`, `${state.zone} 已签名，但"${what.zh}"的应答验证失败：${denial.why.zh}`) as Security;
    if ('insecure' in denial) return denial.insecure;
    const proof = denialOf(name, type, denial.records, state.zone);
    if (proof.kind === 'opt-out') return { status: 'insecure', at: name, why: { en: `${name} falls in an NSEC3 opt-out span of ${state.zone}: an unsigned delegation may stand there`, zh: `${name} 位于 ${state.zone} 的 NSEC3 opt-out 区间：那里可能是未签名的委派` } };
    if (proof.kind === (nxdomain ? 'no-name' : 'no-type')) return { status: 'secure' };
    return bogus(`${type} ${name}`, `${state.zone} is signed, but the answer ${what.en} carries no signed NSEC or NSEC3 proof of it`, `${state.zone} 已签名，但"${what.zh}"的应答没有已签名的 NSEC 或 NSEC3 证明`) as Security;
  }

  /** The zone that holds `name`, and its verified keys: the chain walked from the root (or a closer trust anchor), memoized per name. */
  private walk(name: string): Promise<ZoneState> {
    let pending = this.walks.get(name);
    if (!pending) this.walks.set(name, (pending = this.step(name)));
    return pending;
  }

  private async step(name: string): Promise<ZoneState> {
    const anchored = this.anchors.filter((a) => a.owner === name).map((a) => a.ds);
    if (anchored.length > 0) return this.keysFromDs(name, anchored, true);
    if (name === '.') return { status: 'could-not-check', why: { en: 'no trust anchor for the root zone', zh: '没有根区的信任锚' } };
    const parent = await this.walk(parentOf(name));
    if (parent.status !== 'secure' || parent.nonexistent) return parent;
    const out = await this.ask(name, 'DS');
    if (out.status !== 'reply') return { status: 'could-not-check', why: { en: `DS ${name}: ${outcomeProse(out).en}`, zh: `DS ${name}：${outcomeProse(out).zh}` } };
    const answers = rrsetsOf(out.packet.answers);
    const ds = findRRset(answers, name, 'DS');
    if (ds) {
      const failed = this.verifyRRset(ds, parent.zone, parent.keys);
      if (failed) return bogus(`DS ${name}`, `the DS records of ${name} in ${parent.zone} do not verify: ${failed.en}`, `${parent.zone} 中 ${name} 的 DS 记录验证失败：${failed.zh}`);
      return this.keysFromDs(name, ds.records.map((r) => (r as { data: Ds }).data), false);
    }
    // No DS: a name inside the parent's zone, or a delegation the parent says is unsigned — proven either way, or bogus.
    const cname = findRRset(answers, name, 'CNAME');
    if (cname && !this.verifyRRset(cname, parent.zone, parent.keys)) return parent;
    const denial = this.denialRecords(rrsetsOf(out.packet.authorities), parent);
    if ('insecure' in denial) return denial.insecure;
    if (!('why' in denial)) {
      const types = typesAt(name, denial.records);
      if (types?.has('NS') && !types.has('SOA') && !types.has('DS')) {
        return { status: 'insecure', at: name, why: { en: `${name} is delegated from ${parent.zone} without a DS record: an unsigned zone`, zh: `${name} 由 ${parent.zone} 委派，但没有 DS 记录：这是未签名的区域` } };
      }
      const proof = types ? { kind: types.has('DS') ? 'none' : 'no-type' } : denialOf(name, 'DS', denial.records, parent.zone);
      if (proof.kind === 'no-type') return parent;
      if (proof.kind === 'no-name') return { ...parent, nonexistent: name };
      if (proof.kind === 'opt-out') return { status: 'insecure', at: name, why: { en: `${name} falls in an NSEC3 opt-out span of ${parent.zone}: an unsigned delegation may stand there`, zh: `${name} 位于 ${parent.zone} 的 NSEC3 opt-out 区间：那里可能是未签名的委派` } };
    }
    const reason = 'why' in denial ? ` (${denial.why.en})` : '';
    const reasonZh = 'why' in denial ? `（${denial.why.zh}）` : '';
    return bogus(`DS ${name}`, `${parent.zone} is signed, but gave no signed proof that ${name} has no DS record${reason}`, `${parent.zone} 已签名，却没有给出 ${name} 无 DS 记录的已签名证明${reasonZh}`);
  }

  /** The zone's DNSKEY set: a key its DS (or trust anchor) names, signing the whole set. */
  private async keysFromDs(zone: string, dsList: Ds[], anchor: boolean): Promise<ZoneState> {
    const usable = dsList.filter((d) => supportedAlgorithm(d.algorithm) && supportedDigest(d.digestType));
    if (usable.length === 0) {
      const names = [...new Set(dsList.map((d) => `${algorithmName(d.algorithm)}/digest ${d.digestType}`))].join(', ');
      return { status: 'insecure', at: zone, why: { en: `the DS records of ${zone} name only algorithms presend does not validate (${names}): insecure, as RFC 4035 §5.2 says`, zh: `${zone} 的 DS 记录只使用 presend 不验证的算法（${names}）：按 RFC 4035 §5.2 视为未签名` } };
    }
    const out = await this.ask(zone, 'DNSKEY');
    if (out.status !== 'reply') return { status: 'could-not-check', why: { en: `DNSKEY ${zone}: ${outcomeProse(out).en}`, zh: `DNSKEY ${zone}：${outcomeProse(out).zh}` } };
    const set = findRRset(rrsetsOf(out.packet.answers), zone, 'DNSKEY');
    // The root's keys unsigned or absent: a resolver (or a network) that strips DNSSEC records, not a broken root.
    if (anchor && zone === '.' && (!set || set.sigs.length === 0)) return { status: 'could-not-check', why: { en: 'the resolver returned the root zone’s DNSKEY records without signatures (or none): it does not pass DNSSEC records through', zh: '解析器返回的根区 DNSKEY 没有签名（或没有记录）：它不传递 DNSSEC 记录' } };
    if (!set) return bogus(`DNSKEY ${zone}`, `${anchor ? 'the trust anchor' : 'the parent’s DS'} names a key of ${zone}, but ${zone} serves no DNSKEY records`, `${anchor ? '信任锚' : '上级的 DS'} 指向 ${zone} 的密钥，但 ${zone} 没有 DNSKEY 记录`);
    const keys = set.records.map((r) => (r as { data: Dnskey }).data).slice(0, MAX_KEYS);
    const entry = keys.filter((k) => usable.some((d) => dsMatches(zone, d, k)));
    if (entry.length === 0) {
      const tags = usable.map((d) => d.keyTag).join(', ');
      return bogus(`DNSKEY ${zone}`, `no DNSKEY of ${zone} matches ${anchor ? 'the trust anchor' : 'its DS records at the parent'} (key tag ${tags}; the zone serves ${keys.map(keyTag).join(', ') || 'none'})`, `${zone} 的 DNSKEY 与${anchor ? '信任锚' : '上级的 DS 记录'}都不匹配（key tag ${tags}；区域提供的是 ${keys.map(keyTag).join('、') || '无'}）`);
    }
    const failed = this.verifyRRset(set, zone, entry);
    if (failed) return bogus(`DNSKEY ${zone}`, `the DNSKEY records of ${zone} are not signed by the key its DS names: ${failed.en}`, `${zone} 的 DNSKEY 记录没有由 DS 指向的密钥签名：${failed.zh}`);
    return { status: 'secure', zone, keys };
  }

  /** The zone's NSEC/NSEC3 records in a section, each verified; the first failure said when any does not verify. */
  private denialRecords(sets: RRset[], state: Extract<ZoneState, { status: 'secure' }>): { records: DenialRecords } | { why: Prose } | { insecure: Extract<Security, { status: 'insecure' }> } {
    const records: DenialRecords = { nsec: [], nsec3: [] };
    for (const set of sets.filter((s) => (s.type === 'NSEC' || s.type === 'NSEC3') && isAtOrBelow(s.name, state.zone))) {
      const failed = this.verifyRRset(set, state.zone, state.keys);
      if (failed) return { why: { en: `${set.type} ${set.name}: ${failed.en}`, zh: `${set.type} ${set.name}：${failed.zh}` } };
      for (const r of set.records) {
        const data = (r as { data: { nextDomain: string | Buffer; rrtypes: string[]; flags?: number; iterations?: number; salt?: Buffer; algorithm?: number } }).data;
        const types = new Set(data.rrtypes);
        if (set.type === 'NSEC') records.nsec.push({ owner: set.name, next: dnssecName(String(data.nextDomain)), types });
        else {
          if ((data.iterations ?? 0) > MAX_NSEC3_ITERATIONS) {
            return { insecure: { status: 'insecure', at: state.zone, why: { en: `${state.zone} hashes its NSEC3 names ${data.iterations} times, past the ${MAX_NSEC3_ITERATIONS} RFC 9276 lets a validator treat as insecure`, zh: `${state.zone} 的 NSEC3 迭代 ${data.iterations} 次，超过 RFC 9276 允许验证方视为未签名的 ${MAX_NSEC3_ITERATIONS} 次` } } };
          }
          const [hash, ...zoneLabels] = labelsOf(set.name);
          records.nsec3.push({ hash: hash!, zone: zoneLabels.join('.') || '.', next: base32hex(data.nextDomain as Buffer), types, optOut: ((data.flags ?? 0) & 1) === 1, iterations: data.iterations ?? 0, salt: data.salt ?? Buffer.alloc(0), algorithm: data.algorithm ?? 1 });
        }
      }
    }
    return { records };
  }

  /** Null when some RRSIG by `zone` over the set verifies with one of `keys`; otherwise why none does. */
  private verifyRRset(set: RRset, zone: string, keys: Dnskey[]): Prose | null {
    const sigs = set.sigs.filter((s) => s.signersName === zone).slice(0, MAX_SIGS);
    if (sigs.length === 0) {
      const others = [...new Set(set.sigs.map((s) => s.signersName))].join(', ');
      return others ? { en: `signed by ${others}, not by ${zone}`, zh: `由 ${others} 签名，而不是 ${zone}` } : { en: 'no RRSIG covers it', zh: '没有 RRSIG 覆盖它' };
    }
    let why: Prose = { en: 'no key of the zone verifies its signature', zh: '区域的密钥都无法验证其签名' };
    for (const sig of sigs) {
      const problem = this.sigProblem(set, sig, keys);
      if (!problem) return null;
      why = problem;
    }
    return why;
  }

  private sigProblem(set: RRset, sig: Rrsig, keys: Dnskey[]): Prose | null {
    if (!supportedAlgorithm(sig.algorithm)) return { en: `its signature uses ${algorithmName(sig.algorithm)}, which presend does not validate`, zh: `其签名使用 presend 不验证的 ${algorithmName(sig.algorithm)}` };
    if (serialAfter(sig.inception, this.now)) return { en: `its signature is not valid before ${stamp(sig.inception)}`, zh: `其签名在 ${stamp(sig.inception)} 之前无效` };
    if (serialAfter(this.now, sig.expiration)) return { en: `its signature expired at ${stamp(sig.expiration)}`, zh: `其签名已于 ${stamp(sig.expiration)} 过期` };
    const candidates = keys.filter((k) => k.algorithm === sig.algorithm && (k.flags & ZONE_KEY) !== 0 && keyTag(k) === sig.keyTag);
    if (candidates.length === 0) return { en: `no DNSKEY with key tag ${sig.keyTag} (${algorithmName(sig.algorithm)}) made its signature`, zh: `没有 key tag 为 ${sig.keyTag}（${algorithmName(sig.algorithm)}）的 DNSKEY` };
    const data = signedData(set, sig);
    for (const key of candidates) {
      const pk = publicKey(key.algorithm, key.key);
      if (pk && verifySignature(sig.algorithm, pk, data, sig.signature)) return null;
    }
    return { en: `its signature by key ${sig.keyTag} does not verify: the records were changed after signing, or signed with another key`, zh: `key ${sig.keyTag} 的签名验证失败：记录在签名后被改动，或由其他密钥签名` };
  }
}

/** RFC 1982 serial arithmetic on 32-bit times, as RFC 4034 §3.1.5 asks: a is later than b. */
function serialAfter(a: number, b: number): boolean {
  const diff = (a - b) >>> 0;
  return diff !== 0 && diff < 0x80000000;
}
