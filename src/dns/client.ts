import { nowMs } from '../clock.js';
import { setMaxListeners } from 'node:events';
import { isIP, isLoopbackAddress } from '../ip.js';
import { UsageError } from '../errors.js';
import { canonicalName, couldNotCheck, MAX_CNAME_HOPS, describeOutcome, type DnsOutcome, type DnsTraceEntry, type FailedOutcome, type RecordType } from './records.js';
import type { DnsServer, PacketOutcome } from './wire.js';
import { trackSend } from './sending.js';
import { InFlightWindow } from './window.js';
import type { SharedDnsCache } from './shared-cache.js';
import type { ZoneSet } from './zone.js';
import { isPublicSuffix } from '../message/organization.js';

export interface DnsClientOptions {
  /** `host[:port]` servers; empty means the system's. */
  servers: string[];
  timeoutMs: number;
  tries: number;
  /** Zones answered locally before the network; absent: none. */
  zones?: ZoneSet;
  /** Send nothing to the network: what no zone answers is "could not check". */
  offline: boolean;
  /** Most queries one run may send, so a hostile SPF tree cannot make presend flood a resolver. */
  budget: number;
  /** Answers shared with the other targets of this run. */
  shared?: SharedDnsCache;
}

export const defaultDnsOptions = { timeoutMs: 5000, tries: 2, budget: 500 } as const;

/**
 * Questions on the wire at once, for the whole process: a window that grows while
 * answers come back and halves on a timeout (TCP's congestion control, applied to a
 * resolver), so a batch runs as fast as the resolver answers and no faster.
 */
export const wireWindow = new InFlightWindow();
/**
 * DNSSEC's questions (a DS and a DNSKEY per ancestor, off every critical path) have a window
 * of their own: in the checks' window they took the places the SPF tree's next level waited
 * for, a round trip late. Both windows are bounded; --max-inflight caps both.
 */
export const dnssecWindow = new InFlightWindow({ initial: 16, min: 16, max: 256, coolDownMs: 1000 });

/**
 * The transport (dns-packet, dgram, node:crypto for query ids: ≈ 5 ms to load) loads with
 * the first client that asks the network; an offline run never loads it.
 */
let wireLoading: Promise<typeof import('./wire.js')> | undefined;
const loadWire = () => (wireLoading ??= import('./wire.js'));

/** The system resolver's servers (node:dns, loaded only when no --resolver names one). */
const systemServers = () => process.getBuiltinModule('node:dns').getServers();

/** `host[:port]`, `[v6]:port` or a bare IPv6 literal. */
export function parseServer(spec: string): DnsServer {
  const trimmed = spec.trim();
  let host = trimmed;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (isIP(trimmed) !== 6) {
    const m = /^([^:]+)(?::(\d+))?$/.exec(trimmed);
    if (!m) throw new UsageError(`--resolver ${spec}: expected host[:port]`);
    host = m[1]!;
    if (m[2]) port = Number(m[2]);
  }
  if (!isIP(host)) throw new UsageError(`--resolver ${spec}: "${host}" is not an IP address`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--resolver ${spec}: port must be 1-65535`);
  return { host, port };
}

/** RFC 1035 §2.3.4: labels of 1-63 octets, at most 253 in all; any octets otherwise (RFC 2181 §11). */
export function isLegalDnsName(name: string): boolean {
  const labels = name.split('.');
  return Buffer.byteLength(name) <= 253 && labels.every((l) => l.length > 0 && Buffer.byteLength(l) <= 63);
}

/** mailauth's resolver contract (DESIGN.md): shaped like dns.promises.resolve. */
export type MailauthResolver = (name: string, rrtype: string) => Promise<string[] | string[][]>;

/**
 * One DNS layer for every check: zones first (authoritative for their origins),
 * then the network. Identical questions share one query (cache and in-flight merge),
 * every question is traced, and the run has a query budget.
 */
export class DnsClient {
  readonly trace: DnsTraceEntry[] = [];
  /** Lookups of this client that could not be answered: what rests on them is not kept for other targets. */
  failedLookups = 0;
  /** Tree-walk names no zone holds, taken as NXDOMAIN offline: the report says so. */
  readonly offlineWalks: string[] = [];
  private readonly cache = new Map<string, Promise<DnsOutcome>>();
  /** Per question asked (`TXT name`): null once any answer came (NXDOMAIN and NODATA are answers), else the last of its failures. */
  private readonly failures = new Map<string, FailedOutcome | null>();
  private readonly servers: DnsServer[];
  private readonly started = nowMs();
  /** Made with the first question that goes on the wire: a client answered from caches (the sink's, message after message) never needs one. */
  private cancel: AbortController | null = null;
  private closed = false;
  private sent = 0;

  constructor(private readonly options: DnsClientOptions) {
    const parsed = options.servers.map(parseServer);
    this.servers = parsed.length > 0 ? parsed : options.offline ? [] : systemServers().map((s) => parseServer(s));
    // The transport starts loading with a client that will use it, so a first question does not wait for it.
    if (!options.offline && this.servers.length > 0) void loadWire();
  }

  /** The run that owns this client ended (or failed): questions still on the wire are let go at once, not left to time out. */
  close(): void {
    this.closed = true;
    this.cancel?.abort();
  }

  /** What questions on the wire listen to for the run's end. */
  private get cancelled(): AbortSignal {
    if (!this.cancel) {
      this.cancel = new AbortController();
      // Every question in flight listens for the cancel: as many as the run's budget, not a leak.
      setMaxListeners(Infinity, this.cancel.signal);
      if (this.closed) this.cancel.abort();
    }
    return this.cancel.signal;
  }

  /** How every lookup of this question failed (the last failure), or null when it was answered or never asked. */
  failedEveryTime(rawName: string, type: RecordType): FailedOutcome | null {
    return this.failures.get(`${type} ${canonicalName(rawName)}`) ?? null;
  }

  get queriesSent(): number {
    return this.sent;
  }

  get offline(): boolean {
    return this.options.offline;
  }

  query(rawName: string, type: RecordType): Promise<DnsOutcome> {
    const name = canonicalName(rawName);
    const key = `${type} ${name}`;
    const cached = this.cache.get(key);
    if (cached) {
      const startMs = this.elapsed();
      void cached.then((outcome) => this.record(name, type, outcome, startMs, 'cache'));
      return cached;
    }
    const shared = this.options.shared?.get(key);
    if (shared) {
      const startMs = this.elapsed();
      this.cache.set(key, shared);
      void shared.then((outcome) => this.record(name, type, outcome, startMs, 'cache'));
      return shared;
    }
    const pending = this.resolve(name, type, new Set([name]));
    this.cache.set(key, pending);
    this.options.shared?.set(key, pending);
    return pending;
  }

  private elapsed(): number {
    return Math.round((nowMs() - this.started) * 10) / 10;
  }

  private record(name: string, type: string, outcome: DnsOutcome, startMs: number, source: DnsTraceEntry['source']): void {
    const ms = Math.round((this.elapsed() - startMs) * 10) / 10;
    this.trace.push({ name, type, outcome: describeOutcome(outcome), ms, startMs, source });
    const key = `${type} ${name}`;
    if (couldNotCheck(outcome)) {
      this.failedLookups++;
      if (this.failures.get(key) !== null) this.failures.set(key, outcome);
    } else this.failures.set(key, null);
  }

  /** Follows a CNAME (from a zone, or one the server left unfollowed) to its target, bounded and loop-checked. */
  private follow(target: string, type: RecordType, seen: Set<string>): Promise<DnsOutcome> {
    const next = canonicalName(target);
    if (seen.has(next)) return Promise.resolve({ status: 'error', detail: `a CNAME loop at ${next}` });
    if (seen.size > MAX_CNAME_HOPS) return Promise.resolve({ status: 'error', detail: `a CNAME chain longer than ${MAX_CNAME_HOPS}` });
    return this.resolve(next, type, new Set([...seen, next]));
  }

  private async resolve(name: string, type: RecordType, seen: Set<string>): Promise<DnsOutcome> {
    const startMs = this.elapsed();
    if (!isLegalDnsName(name)) {
      const outcome: DnsOutcome = { status: 'badname', detail: 'not a valid DNS name (a label over 63 octets, an empty label, or over 253 octets)' };
      this.record(name, type, outcome, startMs, 'network');
      return outcome;
    }
    const fromZone = this.options.zones?.lookup(name, type);
    if (fromZone) {
      if (fromZone.status !== 'cname') {
        this.record(name, type, fromZone, startMs, 'zone');
        return fromZone;
      }
      this.record(name, type, { status: 'answer', records: fromZone.records }, startMs, 'zone');
      return this.follow(fromZone.target, type, seen);
    }
    if (this.options.offline) {
      // A name no zone covers is "could not check": nothing says it does not exist. One
      // exception keeps what-if runs usable: the DMARC tree walk (RFC 9989 §4.10) climbs from
      // a zone's names to a public suffix (`_dmarc.com`, `_dmarc.example`) no zone file is ever
      // written for; that is taken as NXDOMAIN, and the report says so. A registrable domain
      // no zone covers (`_dmarc.163.com`) stays unknown.
      if ((this.options.zones?.zones.length ?? 0) > 0 && name.startsWith('_dmarc.') && isPublicSuffix(name.slice('_dmarc.'.length))) {
        const outcome: DnsOutcome = { status: 'nxdomain' };
        this.offlineWalks.push(name);
        this.record(name, type, outcome, startMs, 'offline');
        return outcome;
      }
      const outcome: DnsOutcome = { status: 'offline', detail: `no zone answers ${name}` };
      this.record(name, type, outcome, startMs, 'offline');
      return outcome;
    }
    if (this.sent >= this.options.budget) {
      const outcome: DnsOutcome = { status: 'budget', detail: `query budget of ${this.options.budget} used up` };
      this.record(name, type, outcome, startMs, 'budget');
      return outcome;
    }
    if (this.servers.length === 0) {
      const outcome: DnsOutcome = { status: 'error', detail: 'no DNS server configured (give --resolver host[:port])' };
      this.record(name, type, outcome, startMs, 'network');
      return outcome;
    }
    const outcome = await this.onTheWire(wireWindow, (wire) => wire.ask(name, type, { servers: this.servers, timeoutMs: this.options.timeoutMs, tries: this.options.tries, signal: this.cancelled }));
    if (outcome.status === 'cname') {
      this.record(name, type, { status: 'answer', records: [{ type: 'CNAME', value: outcome.target }] }, startMs, 'network');
      return this.follow(outcome.target, type, seen);
    }
    this.record(name, type, outcome, startMs, 'network');
    return outcome;
  }

  /** One question sent: counted in the budget, through its window, the transport loaded on first use. */
  private async onTheWire<T extends { status: string }>(window: InFlightWindow, send: (wire: typeof import('./wire.js')) => Promise<T>): Promise<T> {
    this.sent++;
    // The question counts as being sent while the transport loads: questionsSent() waits for it as for a datagram.
    const loading = trackSend();
    let asked: Promise<T>;
    try {
      const wire = await loadWire();
      asked = window.run(() => send(wire), (o) => o.status === 'timeout');
    } finally {
      loading();
    }
    return asked;
  }

  /** DNSSEC questions go over the wire: to the run's servers, and under --offline only to those on loopback. */
  get dnssecServers(): DnsServer[] {
    return this.options.offline ? this.servers.filter((s) => isLoopbackAddress(s.host)) : this.servers;
  }

  /**
   * @internal
   * A DNSSEC question (DO and CD set): the whole reply, signatures and denial records
   * included, for src/dnssec. Counted in the run's budget and traced like any question.
   */
  async askDnssec(rawName: string, type: string): Promise<PacketOutcome> {
    const name = rawName === '.' ? '.' : canonicalName(rawName);
    const startMs = this.elapsed();
    const servers = this.dnssecServers;
    let outcome: PacketOutcome;
    if (servers.length === 0) outcome = { status: 'offline', detail: 'no DNS server to ask for DNSSEC records (--offline asks only a --resolver on loopback)' };
    else if (this.sent >= this.options.budget) outcome = { status: 'budget', detail: `query budget of ${this.options.budget} used up` };
    else outcome = await this.onTheWire(dnssecWindow, (wire) => wire.askPacket(name, type, { servers, timeoutMs: this.options.timeoutMs, tries: this.options.tries, signal: this.cancelled }, true));
    const described = outcome.status === 'reply' ? `${outcome.packet.answers?.length ?? 0} answer and ${outcome.packet.authorities?.length ?? 0} authority records (DNSSEC)` : `${outcome.status}: ${outcome.detail}`;
    this.trace.push({ name, type: `${type} (DNSSEC)`, outcome: described, ms: Math.round((this.elapsed() - startMs) * 10) / 10, startMs, source: outcome.status === 'offline' ? 'offline' : outcome.status === 'budget' ? 'budget' : 'network' });
    return outcome;
  }

  /**
   * The resolver function mailauth takes (shaped like dns.promises.resolve):
   * NXDOMAIN and NODATA throw ENOTFOUND / ENODATA so its void-lookup count works;
   * every "could not check" throws a code mailauth maps to temperror.
   */
  /** A resolver in mailauth's shape; `failures`, when given, collects the lookups that failed, for a reason in the reader's language. */
  mailauthResolver(failures?: FailedOutcome[]): MailauthResolver {
    return async (name: string, rrtype: string) => {
      const type = rrtype.toUpperCase() as RecordType;
      const outcome = await this.query(name, type);
      if (failures && couldNotCheck(outcome)) failures.push(outcome);
      // mailauth's declared type omits the MX shape it also consumes.
      return toMailauthShape(outcome, name) as string[] | string[][];
    };
  }
}

function errorWithCode(code: string, message: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message);
  err.code = code;
  return err;
}

function toMailauthShape(outcome: DnsOutcome, name: string): unknown {
  switch (outcome.status) {
    case 'nxdomain':
      throw errorWithCode('ENOTFOUND', `${name}: NXDOMAIN`);
    case 'nodata':
      throw errorWithCode('ENODATA', `${name}: NODATA`);
    case 'answer':
      return outcome.records.map((r) => {
        switch (r.type) {
          case 'MX':
            return { exchange: r.exchange, priority: r.priority };
          case 'TXT':
          case 'SPF':
            return r.strings;
          default:
            return r.value;
        }
      });
    case 'timeout':
      throw errorWithCode('ETIMEOUT', `${name}: ${outcome.detail}`);
    case 'refused':
      throw errorWithCode('EREFUSED', `${name}: ${outcome.detail}`);
    case 'badname':
      throw errorWithCode('EBADNAME', `${name}: ${outcome.detail}`);
    default:
      throw errorWithCode('ESERVFAIL', `${name}: ${outcome.detail}`);
  }
}
