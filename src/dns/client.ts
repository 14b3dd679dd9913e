import { getServers, promises as dnsPromises } from 'node:dns';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../engine/errors.js';
import type { DnsTraceEntry } from '../engine/types.js';
import { canonicalName, MAX_CNAME_HOPS, describeOutcome, type DnsOutcome, type RecordType, type ResourceRecord } from './records.js';
import type { ZoneSet } from './zone.js';

export interface DnsClientOptions {
  /** `host[:port]` servers; empty means the system's. */
  servers: string[];
  timeoutMs: number;
  tries: number;
  zones: ZoneSet;
  /** Send nothing to the network: what no zone answers is "could not check". */
  offline: boolean;
  /** Most queries one run may send, so a hostile SPF tree cannot make presend flood a resolver. */
  budget: number;
}

export const defaultDnsOptions = { timeoutMs: 5000, tries: 2, budget: 500 } as const;


/**
 * Queries on the wire at once, for the whole process. A batch of domains fans out to
 * thousands of questions; past this a resolver (or its UDP buffer) starts dropping them,
 * and a dropped question costs a whole timeout.
 */
export const MAX_IN_FLIGHT = 64;

/** A counting semaphore: at most `limit` holders, the rest wait in order. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
const wire = new Gate(MAX_IN_FLIGHT);

/** `host[:port]`, `[v6]:port` or a bare IPv6 literal → the `ip:port` form c-ares takes. */
export function parseServer(spec: string): { host: string; port: number; cares: string } {
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
  return { host, port, cares: isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}` };
}

interface Dns2Answer {
  type: number;
  data?: string[] | string;
  address?: string;
  exchange?: string;
  priority?: number;
  domain?: string;
  ns?: string;
}
interface Dns2Packet {
  header: { rcode: number };
  answers: Dns2Answer[];
}

const DNS2_TYPES: Record<RecordType, number> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SPF: 99 };

function fromDns2Answer(a: Dns2Answer, type: RecordType): ResourceRecord[] {
  if (a.type !== DNS2_TYPES[type]) return [];
  switch (type) {
    case 'A':
    case 'AAAA':
      return a.address ? [{ type, value: a.address }] : [];
    case 'MX':
      return [{ type, priority: a.priority ?? 0, exchange: canonicalName(a.exchange ?? '') }];
    case 'TXT':
    case 'SPF':
      return [{ type, strings: Array.isArray(a.data) ? a.data : [String(a.data ?? '')] }];
    case 'PTR':
    case 'CNAME':
      return a.domain ? [{ type, value: canonicalName(a.domain) }] : [];
    case 'NS':
      return a.ns ? [{ type, value: canonicalName(a.ns) }] : [];
  }
}

/** RFC 1035 §2.3.4: labels of 1-63 octets, at most 253 in all; any octets otherwise (RFC 2181 §11). */
function isLegalDnsName(name: string): boolean {
  const labels = name.split('.');
  return Buffer.byteLength(name) <= 253 && labels.every((l) => l.length > 0 && Buffer.byteLength(l) <= 63);
}
/** mailauth's resolver contract (DESIGN.md): shaped like dns.promises.resolve. */
export type MailauthResolver = (name: string, rrtype: string) => Promise<string[] | string[][]>;

type Dns2Resolve = (name: string, type: string) => Promise<Dns2Packet>;

/**
 * One DNS layer for every check: zones first (authoritative for their origins),
 * then the network through c-ares. Identical questions share one query (cache and
 * in-flight merge), every question is traced, and the run has a query budget.
 */
export class DnsClient {
  readonly trace: DnsTraceEntry[] = [];
  private readonly cache = new Map<string, Promise<DnsOutcome>>();
  private readonly resolver: dnsPromises.Resolver;
  private readonly servers: { host: string; port: number }[];
  private readonly started = performance.now();
  private sent = 0;

  constructor(private readonly options: DnsClientOptions) {
    this.resolver = new dnsPromises.Resolver({ timeout: options.timeoutMs, tries: options.tries });
    const parsed = options.servers.map(parseServer);
    if (parsed.length > 0) this.resolver.setServers(parsed.map((s) => s.cares));
    this.servers = parsed.length > 0 ? parsed : getServers().map((s) => parseServer(s));
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
    const pending = this.resolve(name, type, 0);
    this.cache.set(key, pending);
    return pending;
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 10) / 10;
  }

  private record(name: string, type: string, outcome: DnsOutcome, startMs: number, source: DnsTraceEntry['source']): void {
    const ms = Math.round((this.elapsed() - startMs) * 10) / 10;
    this.trace.push({ name, type, outcome: describeOutcome(outcome), ms, startMs, source });
  }

  private async resolve(name: string, type: RecordType, hops: number): Promise<DnsOutcome> {
    const startMs = this.elapsed();
    const fromZone = this.options.zones.lookup(name, type);
    if (fromZone) {
      if (fromZone.status !== 'cname') {
        this.record(name, type, fromZone, startMs, 'zone');
        return fromZone;
      }
      this.record(name, type, { status: 'answer', records: fromZone.records }, startMs, 'zone');
      if (hops >= MAX_CNAME_HOPS) return { status: 'error', detail: `CNAME chain longer than ${MAX_CNAME_HOPS} at ${name}` };
      return this.resolve(canonicalName(fromZone.target), type, hops + 1);
    }
    if (this.options.offline) {
      const outcome: DnsOutcome = { status: 'offline', detail: `--offline: no zone answers ${name}` };
      this.record(name, type, outcome, startMs, 'offline');
      return outcome;
    }
    if (this.sent >= this.options.budget) {
      const outcome: DnsOutcome = { status: 'budget', detail: `query budget of ${this.options.budget} used up` };
      this.record(name, type, outcome, startMs, 'budget');
      return outcome;
    }
    this.sent++;
    const outcome = await wire.run(async () => {
      const first = type === 'SPF' ? await this.queryViaDns2(name, type) : await this.queryNetwork(name, type);
      const refusedByCares = (first.status === 'badname' && isLegalDnsName(name)) || (first.status === 'error' && first.detail.startsWith('EBADRESP'));
      return refusedByCares ? this.queryViaDns2(name, type) : first;
    });
    this.record(name, type, outcome, startMs, 'network');
    return outcome;
  }

  private async queryNetwork(name: string, type: Exclude<RecordType, 'SPF'>): Promise<DnsOutcome> {
    // c-ares stretches each try beyond its timeout; presend's own deadline keeps --timeout honest.
    const deadlineMs = this.options.timeoutMs * this.options.tries;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<DnsOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'timeout', detail: `no answer within ${deadlineMs} ms` }), deadlineMs);
      timer.unref();
    });
    const asked = this.ask(name, type).then(
      (records): DnsOutcome => (records.length > 0 ? { status: 'answer', records } : { status: 'nodata' }),
      (err: NodeJS.ErrnoException) => outcomeOfError(err),
    );
    try {
      return await Promise.race([asked, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async ask(name: string, type: Exclude<RecordType, 'SPF'>): Promise<ResourceRecord[]> {
    const r = this.resolver;
    switch (type) {
      case 'A':
        return (await r.resolve4(name)).map((value) => ({ type, value }));
      case 'AAAA':
        return (await r.resolve6(name)).map((value) => ({ type, value }));
      case 'MX':
        return (await r.resolveMx(name)).map((mx) => ({ type, priority: mx.priority, exchange: canonicalName(mx.exchange) }));
      case 'TXT':
        // c-ares hands TXT bytes over as latin1; the record is UTF-8 on the wire.
        return (await r.resolveTxt(name)).map((strings) => ({ type, strings: strings.map((s) => Buffer.from(s, 'latin1').toString('utf8')) }));
      case 'PTR':
        return (await r.resolvePtr(name)).map((value) => ({ type, value: canonicalName(value) }));
      case 'CNAME':
        return (await r.resolveCname(name)).map((value) => ({ type, value: canonicalName(value) }));
      case 'NS':
        return (await r.resolveNs(name)).map((value) => ({ type, value: canonicalName(value) }));
    }
  }

  /**
   * dns2's UDP client, for what c-ares will not do: ask for the obsolete SPF RR type (99),
   * send names that DNS allows but c-ares refuses (':' or '/' inside a label, which SPF
   * macros can produce), and read answers c-ares rejects (a TXT record with no strings).
   */
  private async queryViaDns2(name: string, type: RecordType): Promise<DnsOutcome> {
    const server = this.servers[0];
    if (!server) return { status: 'error', detail: 'no DNS server configured' };
    const require = createRequire(import.meta.url);
    const { UDPClient } = require('dns2') as { UDPClient: (o: object) => Dns2Resolve };
    const resolve = UDPClient({ dns: server.host, port: server.port, timeout: this.options.timeoutMs * this.options.tries, socketType: isIP(server.host) === 6 ? 'udp6' : 'udp4' });
    try {
      const packet = await resolve(name, type);
      if (packet.header.rcode === 3) return { status: 'nxdomain' };
      if (packet.header.rcode === 2) return { status: 'servfail', detail: 'the server answered SERVFAIL' };
      if (packet.header.rcode === 5) return { status: 'refused', detail: 'the server REFUSED the query' };
      const records = packet.answers.flatMap((a) => fromDns2Answer(a, type));
      return records.length > 0 ? { status: 'answer', records } : { status: 'nodata' };
    } catch (err) {
      return outcomeOfError(err as NodeJS.ErrnoException);
    }
  }

  /**
   * The resolver function mailauth takes (shaped like dns.promises.resolve):
   * NXDOMAIN and NODATA throw ENOTFOUND / ENODATA so its void-lookup count works;
   * every "could not check" throws a code mailauth maps to temperror.
   */
  mailauthResolver(): MailauthResolver {
    return async (name: string, rrtype: string) => {
      const type = rrtype.toUpperCase() as RecordType;
      const outcome = await this.query(name, type);
      // mailauth's declared type omits the MX shape it also consumes.
      return toMailauthShape(outcome, name) as string[] | string[][];
    };
  }
}

export function outcomeOfError(err: NodeJS.ErrnoException): DnsOutcome {
  switch (err.code) {
    case 'ENOTFOUND':
      return { status: 'nxdomain' };
    case 'ENODATA':
      return { status: 'nodata' };
    case 'ETIMEOUT':
    case 'ETIMEDOUT':
      return { status: 'timeout', detail: 'no answer within the timeout' };
    case 'ESERVFAIL':
      return { status: 'servfail', detail: 'the server answered SERVFAIL' };
    case 'EREFUSED':
      return { status: 'refused', detail: 'the server REFUSED the query' };
    case 'ECONNREFUSED':
      return { status: 'error', detail: 'connection refused by the DNS server' };
    case 'EBADNAME':
      return { status: 'badname', detail: 'not a valid DNS name (a label over 63 octets, or an empty label)' };
    default:
      return { status: 'error', detail: `${err.code ?? 'error'}: ${err.message}` };
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
