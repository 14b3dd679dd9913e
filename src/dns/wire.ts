/**
 * One DNS question over the wire: UDP, then TCP when the answer is truncated, every
 * step inside one deadline. dns-packet is the codec; the transport is written here
 * because neither c-ares (node:dns) nor dns2 can be made to keep presend's promises:
 * c-ares hands back parsed records without their owner names (so a record of another
 * name cannot be refused) and dns2's TCP fallback has no timeout and its parser takes
 * seconds on a 12-byte reply that claims 65,535 records.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import dnsPacket, { type Answer, type Packet, type Question } from 'dns-packet';
import { canonicalName, MAX_CNAME_HOPS, type DnsOutcome, type RecordType, type ResourceRecord } from './records.js';
import { trackSend } from './sending.js';

export interface DnsServer {
  host: string;
  port: number;
}

/** What one exchange with one server gave: a reply, or why there is none. */
type Exchange = { kind: 'reply'; packet: Packet } | { kind: 'timeout' } | { kind: 'malformed'; detail: string } | { kind: 'error'; detail: string };

/** A query's outcome, or a CNAME whose target the server did not follow (the client asks for it). */
export type WireOutcome = DnsOutcome | { status: 'cname'; target: string };

/** RFC 6891 §6.2.5: 1232 bytes avoids IP fragmentation on every common path. */
const EDNS_PAYLOAD = 1232;
const HEADER_BYTES = 12;
/** The least a question (root name, type, class) and a resource record (root name, type, class, TTL, length) can take. */
const MIN_QUESTION_BYTES = 5;
const MIN_RECORD_BYTES = 11;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
const TRUNCATED = 0x0200;

const rcodeOf = (packet: Packet) => (packet.flags ?? 0) & 0x000f;

/**
 * A reply whose section counts cannot fit in its length is malformed. Checked before
 * any parsing, so a hostile count costs nothing.
 */
export function countsFit(message: Buffer): boolean {
  if (message.length < HEADER_BYTES) return false;
  const questions = message.readUInt16BE(4);
  const records = message.readUInt16BE(6) + message.readUInt16BE(8) + message.readUInt16BE(10);
  return questions * MIN_QUESTION_BYTES + records * MIN_RECORD_BYTES <= message.length - HEADER_BYTES;
}

function encodeQuery(id: number, name: string, type: string, edns: boolean, dnssec: boolean): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    // DNSSEC questions set CD: presend validates itself, and a bogus answer must reach it to be named.
    flags: dnsPacket.RECURSION_DESIRED | (dnssec ? dnsPacket.CHECKING_DISABLED : 0),
    // @types/dns-packet omits SPF (99), which dns-packet itself encodes.
    questions: [{ name, type: type as Question['type'], class: 'IN' }],
    ...(edns ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD, flags: dnssec ? dnsPacket.DNSSEC_OK : 0 } as Answer] } : {}),
  });
}

/** Decodes a reply to (id, name, type); anything else is malformed or not ours. */
function decodeReply(message: Buffer, id: number, name: string, type: string): Exchange | 'not-ours' {
  if (!countsFit(message)) return { kind: 'malformed', detail: `a ${message.length}-byte reply whose record counts cannot fit in it` };
  let packet: Packet;
  try {
    packet = dnsPacket.decode(message);
  } catch (err) {
    return { kind: 'malformed', detail: `an unreadable reply (${(err as Error).message})` };
  }
  if (packet.id !== id) return 'not-ours';
  const question = packet.questions?.[0];
  const isResponse = packet.type === 'response';
  if (!isResponse || !question || canonicalName(question.name) !== canonicalName(name) || question.type !== type) {
    return { kind: 'malformed', detail: 'a reply that does not answer the question asked' };
  }
  return { kind: 'reply', packet };
}

const CANCELLED_DETAIL = 'cancelled: the run ended before the answer came';
const CANCELLED: Exchange = { kind: 'error', detail: CANCELLED_DETAIL };

/** One result per exchange: the first of a reply, an error, the timeout or a cancel wins, and the socket is let go. */
function settleOnce(resolve: (result: Exchange) => void, timeoutMs: number, release: () => void, signal?: AbortSignal): (result: Exchange) => void {
  let done = false;
  const cancel = () => finish(CANCELLED);
  const finish = (result: Exchange) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
    release();
    resolve(result);
  };
  const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
  signal?.addEventListener('abort', cancel, { once: true });
  return finish;
}

function udpExchange(server: DnsServer, query: Buffer, id: number, name: string, type: string, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket: UdpSocket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    const sent = trackSend();
    const finish = settleOnce(
      resolve,
      timeoutMs,
      () => {
        sent();
        socket.close();
      },
      signal,
    );
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'error', detail: err.code ?? err.message }));
    socket.on('message', (message, from) => {
      // A datagram from anywhere else, or for another question, is not an answer: keep waiting.
      if (from.address !== server.host || from.port !== server.port) return;
      const decoded = decodeReply(message, id, name, type);
      if (decoded !== 'not-ours') finish(decoded);
    });
    socket.send(query, server.port, server.host, (err) => {
      sent();
      if (err) finish({ kind: 'error', detail: (err as NodeJS.ErrnoException).code ?? err.message });
    });
  });
}

/** RFC 7766: the same question over TCP, a two-byte length before each message, the reply read up to its declared length only. */
function tcpExchange(server: DnsServer, query: Buffer, id: number, name: string, type: string, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = settleOnce(resolve, timeoutMs, () => socket.destroy(), signal);
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'error', detail: `TCP: ${err.code ?? err.message}` }));
    socket.on('close', () => finish({ kind: 'malformed', detail: 'the TCP connection closed before a whole reply' }));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      // The length prefix caps the read at 65,537 bytes; the chunks are joined once, when the whole message is in.
      const declared = Buffer.concat(chunks, 2).readUInt16BE(0);
      if (declared < HEADER_BYTES) return finish({ kind: 'malformed', detail: `a TCP reply of ${declared} bytes` });
      if (received < declared + 2) return;
      const decoded = decodeReply(Buffer.concat(chunks, declared + 2).subarray(2), id, name, type);
      finish(decoded === 'not-ours' ? { kind: 'malformed', detail: 'a TCP reply to another question' } : decoded);
    });
  });
}

function txtStrings(buffers: unknown): string[] | null {
  if (!Array.isArray(buffers) || !buffers.every((b) => Buffer.isBuffer(b))) return null;
  // TXT is bytes on the wire; SPF and DMARC records are UTF-8 (RFC 8616).
  return (buffers as Buffer[]).map((b) => b.toString('utf8'));
}

/** RFC 1035 §3.3.14 character-strings, for the SPF RR type (99), which dns-packet hands over undecoded. */
function characterStrings(rdata: Buffer): string[] | null {
  const out: string[] = [];
  for (let offset = 0; offset < rdata.length; ) {
    const length = rdata[offset]!;
    if (offset + 1 + length > rdata.length) return null;
    out.push(rdata.subarray(offset + 1, offset + 1 + length).toString('utf8'));
    offset += 1 + length;
  }
  return out;
}

function toRecord(answer: Answer, type: RecordType): ResourceRecord | null {
  const data = (answer as { data?: unknown }).data;
  switch (type) {
    case 'A':
    case 'AAAA':
    case 'PTR':
    case 'CNAME':
    case 'NS':
      return typeof data === 'string' ? { type, value: type === 'A' || type === 'AAAA' ? data : canonicalName(data) } : null;
    case 'MX': {
      const mx = data as { preference?: unknown; exchange?: unknown } | undefined;
      return typeof mx?.exchange === 'string' && typeof mx.preference === 'number' ? { type, priority: mx.preference, exchange: canonicalName(mx.exchange) } : null;
    }
    case 'TXT': {
      const strings = txtStrings(data);
      return strings ? { type, strings } : null;
    }
    case 'SPF': {
      const strings = Buffer.isBuffer(data) ? characterStrings(data) : txtStrings(data);
      return strings ? { type, strings } : null;
    }
  }
}

/**
 * @internal dns-packet's types are a dev dependency: kept out of the published declarations.
 * The records that answer the question: those owned by the name asked, or by the
 * names its CNAME chain (inside this reply) leads to. Records of any other name are
 * not believed.
 */
export function answerOf(packet: Packet, name: string, type: RecordType): WireOutcome {
  const rcode = rcodeOf(packet);
  if (rcode === RCODE.NXDOMAIN) return { status: 'nxdomain' };
  if (rcode === RCODE.SERVFAIL) return { status: 'servfail', detail: 'the server answered SERVFAIL' };
  if (rcode === RCODE.REFUSED) return { status: 'refused', detail: 'the server REFUSED the query' };
  if (rcode !== RCODE.NOERROR) return { status: 'error', detail: `the server answered RCODE ${rcode}` };
  const answers = packet.answers ?? [];
  const seen = new Set([name]);
  let current = name;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const owned = answers.filter((a) => typeof a.name === 'string' && canonicalName(a.name) === current);
    const matching = owned.filter((a) => a.type === type);
    if (matching.length > 0) {
      const records = matching.map((a) => toRecord(a, type));
      if (records.some((r) => r === null)) return { status: 'error', detail: `a malformed ${type} record for ${current}` };
      const ttl = Math.max(...matching.map((a) => (typeof (a as { ttl?: unknown }).ttl === 'number' ? (a as { ttl: number }).ttl : 0)));
      return { status: 'answer', records: records as ResourceRecord[], ttl };
    }
    const cname = type === 'CNAME' ? undefined : owned.find((a) => a.type === 'CNAME');
    if (!cname || typeof (cname as { data?: unknown }).data !== 'string') {
      if (hop === 0 && owned.length === 0 && answers.some((a) => a.type === type || a.type === 'CNAME')) {
        return { status: 'error', detail: `the reply holds records of other names only, none of ${name}` };
      }
      return hop === 0 ? { status: 'nodata' } : { status: 'cname', target: current };
    }
    current = canonicalName((cname as { data: string }).data);
    if (seen.has(current)) return { status: 'error', detail: `a CNAME loop at ${current}` };
    seen.add(current);
  }
  return { status: 'error', detail: `a CNAME chain longer than ${MAX_CNAME_HOPS}` };
}

export interface AskOptions {
  servers: DnsServer[];
  /** Per try, per server. */
  timeoutMs: number;
  tries: number;
  /** Aborted when the run that asked no longer needs the answer: sockets and timers are let go at once. */
  signal?: AbortSignal;
}

/** @internal A reply that answers the question (any RCODE but SERVFAIL and REFUSED), or why there is none. */
export type PacketOutcome = { status: 'reply'; packet: Packet } | Extract<DnsOutcome, { detail: string }>;

/**
 * @internal
 * Asks each server in turn, `tries` rounds, all inside timeout × tries: a truncated
 * UDP reply is asked again over TCP within what is left. A SERVFAIL or REFUSED from
 * every server ends the question; silence is asked again. `dnssec` asks with DO and CD
 * set (RFC 4035 §3.2), for the signatures and denial records beside the answer.
 */
export async function askPacket(name: string, type: string, options: AskOptions, dnssec = false): Promise<PacketOutcome> {
  const deadline = Date.now() + options.timeoutMs * options.tries;
  // The real figure: every try of every server fits in timeout × tries.
  const silence = `no answer within ${options.timeoutMs * options.tries} ms (${options.tries} ${options.tries === 1 ? 'try' : 'tries'} of ${options.timeoutMs} ms)`;
  let last: PacketOutcome = { status: 'timeout', detail: silence };
  let edns = true;
  for (let round = 0; round < options.tries; round++) {
    let silent = false;
    for (const server of options.servers) {
      const left = () => Math.min(options.timeoutMs, deadline - Date.now());
      if (left() <= 0) return last;
      if (options.signal?.aborted) return { status: 'error', detail: CANCELLED_DETAIL };
      const id = randomInt(0, 0x10000);
      const query = encodeQuery(id, name, type, edns, dnssec);
      let exchange = await udpExchange(server, query, id, name, type, left(), options.signal);
      if (exchange.kind === 'reply' && ((exchange.packet.flags ?? 0) & TRUNCATED) !== 0) {
        if (left() <= 0) return { status: 'timeout', detail: 'the reply was truncated and no time was left for TCP' };
        exchange = await tcpExchange(server, query, id, name, type, left(), options.signal);
        if (exchange.kind === 'timeout') exchange = { kind: 'error', detail: 'the reply was truncated and the server did not answer over TCP' };
      }
      switch (exchange.kind) {
        case 'timeout':
          silent = true;
          last = { status: 'timeout', detail: silence };
          continue;
        case 'malformed':
          last = { status: 'error', detail: `malformed reply: ${exchange.detail}` };
          continue;
        case 'error':
          last = { status: 'error', detail: exchange.detail };
          continue;
        case 'reply': {
          const rcode = rcodeOf(exchange.packet);
          // A server that does not speak EDNS (RFC 6891 §7) says FORMERR: ask it again plainly — unless
          // the question is DNSSEC's, which only EDNS can carry.
          if (edns && rcode === RCODE.FORMERR) {
            if (dnssec) {
              last = { status: 'error', detail: 'the server does not speak EDNS, which DNSSEC records need' };
              continue;
            }
            edns = false;
            silent = true;
            continue;
          }
          if (rcode === RCODE.SERVFAIL) last = { status: 'servfail', detail: 'the server answered SERVFAIL' };
          else if (rcode === RCODE.REFUSED) last = { status: 'refused', detail: 'the server REFUSED the query' };
          else return { status: 'reply', packet: exchange.packet };
        }
      }
    }
    if (!silent) return last;
  }
  return last;
}

/** One question of presend's own types, its answer read by answerOf. */
export async function ask(name: string, type: RecordType, options: AskOptions): Promise<WireOutcome> {
  const outcome = await askPacket(name, type, options);
  return outcome.status === 'reply' ? answerOf(outcome.packet, name, type) : outcome;
}
