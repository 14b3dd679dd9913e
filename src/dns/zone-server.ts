/**
 * A real DNS server on 127.0.0.1 (UDP and TCP on one port) that answers from zones:
 * the tests, the demo and the benchmarks resolve over the wire through it. It can
 * also misbehave on purpose, one deterministic fault per question, so the fault suite
 * meets what hostile or broken servers really send.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { canonicalName, MAX_CNAME_HOPS, type RecordType, type ResourceRecord } from './records.js';
import type { ZoneSet } from './zone.js';

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
const MAX_TXT_STRING = 255;
/** RFC 1035 §4.2.1: a UDP reply without EDNS holds at most 512 bytes. */
const PLAIN_UDP_LIMIT = 512;

/**
 * What a hostile or broken server does instead of answering:
 * - `silent`: never answers (UDP or TCP);
 * - `servfail` / `refused`: that RCODE;
 * - `truncate-silent-tcp`: an empty UDP reply with TC set, then a TCP connection that is accepted and never answered;
 * - `parse-bomb`: a 12-byte reply whose header claims 65,535 records in every section;
 * - `garbage`: the query's ID and the QR bit, then random bytes;
 * - `wrong-owner`: the right records, but owned by another name;
 * - `cname-loop`: NOERROR holding only CNAMEs that lead back to the name asked.
 */
export type DnsFault = 'silent' | 'servfail' | 'refused' | 'truncate-silent-tcp' | 'parse-bomb' | 'garbage' | 'wrong-owner' | 'cname-loop';

/**
 * @internal
 * A responder consulted before the zones: the tests' signed zones (RRSIG, DNSKEY, DS, NSEC,
 * NSEC3, TLSA), which the RFC 1035 reader above does not hold. `dnssecOk` is the query's DO bit.
 */
export interface ZoneResponder {
  respond(name: string, type: string, dnssecOk: boolean): { rcode: number; answers: Answer[]; authorities: Answer[] } | undefined;
}

export interface ZoneServerOptions {
  zones: ZoneSet;
  /** @internal */
  responder?: ZoneResponder;
  /** Added before every answer: the round trip the benchmarks simulate. */
  delayMs?: number;
  /** Questions never answered (a server that times out). */
  silent?: (name: string, type: string) => boolean;
  /** Questions answered SERVFAIL. */
  servfail?: (name: string, type: string) => boolean;
  /** A fault for a question, or undefined to answer it properly. */
  fault?: (name: string, type: string) => DnsFault | undefined;
  /** Listen on this port (UDP and TCP) rather than any free one: a nameserver a test names by address answers on 53. */
  port?: number;
  /** Share of UDP questions dropped unanswered (0-1), drawn from a seeded generator so a run repeats. */
  lossRate?: number;
  seed?: number;
  /**
   * A name no zone holds: NXDOMAIN (default — the served zones are the whole world, as
   * a recursive resolver would report it) or REFUSED (an authoritative-only server).
   */
  unknownNames?: 'nxdomain' | 'refused';
}

export interface RunningZoneServer {
  host: string;
  port: number;
  /** `127.0.0.1:PORT`, as `--resolver` takes it. */
  address: string;
  /** Questions received (both transports). */
  readonly received: number;
  close(): Promise<void>;
}

/** dns-packet writes a string as one character-string: one over 255 bytes becomes several. */
function splitCharacterStrings(strings: string[]): Buffer[] {
  return strings.flatMap((s) => {
    const bytes = Buffer.from(s, 'utf8');
    if (bytes.length <= MAX_TXT_STRING) return [bytes];
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += MAX_TXT_STRING) parts.push(bytes.subarray(i, i + MAX_TXT_STRING));
    return parts;
  });
}

function toAnswer(name: string, record: ResourceRecord): Answer {
  const base = { name, ttl: 300, class: 'IN' as const };
  switch (record.type) {
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'PTR':
    case 'CNAME':
      return { ...base, type: record.type, data: record.value } as Answer;
    case 'MX':
      return { ...base, type: 'MX', data: { preference: record.priority, exchange: record.exchange } };
    case 'TXT':
      return { ...base, type: 'TXT', data: splitCharacterStrings(record.strings) };
    case 'SPF': {
      // dns-packet has no encoder for type 99: its RDATA is TXT's, written here.
      const rdata = Buffer.concat(splitCharacterStrings(record.strings).map((b) => Buffer.concat([Buffer.from([b.length]), b])));
      return { ...base, type: 'SPF', data: rdata } as unknown as Answer;
    }
  }
}

/** A seeded generator (mulberry32): the same loss pattern on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Reply = { kind: 'packet'; packet: Packet } | { kind: 'bytes'; bytes: Buffer } | { kind: 'none' };

function response(request: Packet, rcode: number): Packet {
  return {
    type: 'response',
    id: request.id,
    // AA, RD echoed, and RA so clients read it as a resolver's answer (dns-packet sets QR from `type`).
    flags: 0x0400 | ((request.flags ?? 0) & 0x0100) | 0x0080 | rcode,
    questions: request.questions,
    answers: [],
  };
}

function zoneAnswer(request: Packet, name: string, type: string, options: ZoneServerOptions): Packet {
  const packet = response(request, RCODE.NOERROR);
  const answers: Answer[] = [];
  let current = name;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const found = options.zones.lookup(current, type as RecordType);
    if (!found) {
      // After a CNAME the chain simply ends here; the first name gets the configured answer.
      if (hop === 0) packet.flags = (packet.flags! & ~0xf) | (options.unknownNames === 'refused' ? RCODE.REFUSED : RCODE.NXDOMAIN);
      break;
    }
    if (found.status === 'nxdomain') {
      if (hop === 0) packet.flags = (packet.flags! & ~0xf) | RCODE.NXDOMAIN;
      break;
    }
    if (found.status === 'nodata') break;
    answers.push(...found.records.map((r) => toAnswer(current, r)));
    if (found.status === 'answer') break;
    current = canonicalName(found.target);
  }
  packet.answers = answers;
  return packet;
}

function faultReply(fault: DnsFault, request: Packet, name: string, type: string, options: ZoneServerOptions, query: Buffer): Reply {
  switch (fault) {
    case 'silent':
      return { kind: 'none' };
    case 'servfail':
      return { kind: 'packet', packet: response(request, RCODE.SERVFAIL) };
    case 'refused':
      return { kind: 'packet', packet: response(request, RCODE.REFUSED) };
    case 'truncate-silent-tcp': {
      const packet = response(request, RCODE.NOERROR);
      packet.flags! |= 0x0200;
      return { kind: 'packet', packet };
    }
    case 'parse-bomb': {
      const bytes = Buffer.alloc(12, 0xff);
      query.copy(bytes, 0, 0, 2);
      bytes.writeUInt16BE(0x8180, 2);
      return { kind: 'bytes', bytes };
    }
    case 'garbage': {
      const random = seeded(query.readUInt16BE(0));
      const bytes = Buffer.alloc(64 + Math.floor(random() * 200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      query.copy(bytes, 0, 0, 2);
      bytes[2] = (bytes[2]! | 0x80) & 0xf9;
      return { kind: 'bytes', bytes };
    }
    case 'wrong-owner': {
      const packet = zoneAnswer(request, name, type, options);
      packet.answers = (packet.answers ?? []).map((a) => ({ ...a, name: `not-${name}` }));
      return { kind: 'packet', packet };
    }
    case 'cname-loop': {
      const packet = response(request, RCODE.NOERROR);
      const other = `loop.${name}`;
      packet.answers = [toAnswer(name, { type: 'CNAME', value: other }), toAnswer(other, { type: 'CNAME', value: name })];
      return { kind: 'packet', packet };
    }
  }
}

function encodeReply(reply: Reply, limit: number): Buffer | null {
  if (reply.kind === 'none') return null;
  if (reply.kind === 'bytes') return reply.bytes;
  const bytes = dnsPacket.encode(reply.packet);
  if (bytes.length <= limit) return bytes;
  // Too long for this transport: an empty reply with TC set sends the client to TCP.
  const truncated = dnsPacket.encode({ ...reply.packet, flags: reply.packet.flags! | 0x0200, answers: [], authorities: [] });
  return truncated;
}

export async function startZoneServer(options: ZoneServerOptions, host = '127.0.0.1'): Promise<RunningZoneServer> {
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();
  const random = seeded(options.seed ?? 1);

  /** The reply to one query, and whether TCP should then stay silent. */
  const handle = (query: Buffer, transport: 'udp' | 'tcp'): { reply: Reply; udpLimit: number } | null => {
    received++;
    let request: Packet;
    try {
      request = dnsPacket.decode(query);
    } catch {
      return null;
    }
    const question = request.questions?.[0];
    if (!question) return { reply: { kind: 'packet', packet: response(request, RCODE.REFUSED) }, udpLimit: PLAIN_UDP_LIMIT };
    const name = canonicalName(question.name);
    const type = String(question.type);
    const opt = (request.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const udpLimit = Math.max(PLAIN_UDP_LIMIT, opt?.udpPayloadSize ?? PLAIN_UDP_LIMIT);
    if (options.silent?.(name, type)) return { reply: { kind: 'none' }, udpLimit };
    if (options.servfail?.(name, type)) return { reply: { kind: 'packet', packet: response(request, RCODE.SERVFAIL) }, udpLimit };
    const fault = options.fault?.(name, type);
    if (fault === 'truncate-silent-tcp' && transport === 'tcp') return { reply: { kind: 'none' }, udpLimit };
    if (fault) return { reply: faultReply(fault, request, name, type, options, query), udpLimit };
    const signed = options.responder?.respond(name, type, ((opt as { flags?: number } | undefined)?.flags ?? 0) & 0x8000 ? true : false);
    if (signed) {
      const packet = response(request, signed.rcode);
      packet.answers = signed.answers;
      packet.authorities = signed.authorities;
      return { reply: { kind: 'packet', packet }, udpLimit };
    }
    return { reply: { kind: 'packet', packet: zoneAnswer(request, name, type, options) }, udpLimit };
  };

  const later = (send: () => void) => {
    if (!options.delayMs || options.delayMs <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, options.delayMs);
    timers.add(timer);
  };

  // Bind UDP on an ephemeral port, then TCP on the same number; retry if TCP's is taken.
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp: UdpSocket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(options.port ?? 0, host, () => resolve());
    });
    udp.on('error', () => undefined);
    udp.on('message', (query, from) => {
      const handled = handle(query, 'udp');
      if (!handled) return;
      if (options.lossRate && random() < options.lossRate) return;
      const bytes = encodeReply(handled.reply, handled.udpLimit);
      if (bytes) later(() => udp.send(bytes, from.port, from.address, () => undefined));
    });
    const port = udp.address().port;
    const sockets = new Set<Socket>();
    const tcp: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const query = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
          buffered = buffered.subarray(2 + query.length);
          const handled = handle(query, 'tcp');
          const bytes = handled ? encodeReply(handled.reply, 65_535) : null;
          if (!bytes) continue;
          const length = Buffer.alloc(2);
          length.writeUInt16BE(bytes.length);
          later(() => socket.write(Buffer.concat([length, bytes])));
        }
        if (buffered.length > 70_000) socket.destroy();
      });
    });
    const bound = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (!bound) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      continue;
    }
    return {
      host,
      port,
      address: `${host}:${port}`,
      get received() {
        return received;
      },
      close: async () => {
        for (const timer of timers) clearTimeout(timer);
        // Clients may keep TCP connections open; closing must not wait for them.
        for (const socket of sockets) socket.destroy();
        await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
      },
    };
  }
  throw new Error(`could not bind UDP and TCP on one port of ${host}`);
}
