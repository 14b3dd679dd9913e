/**
 * A real DNS server on 127.0.0.1 (UDP and TCP on one port) that answers from zones:
 * the tests, the demo and the benchmarks resolve over the wire through it.
 */
import { createRequire } from 'node:module';
import type { AddressInfo, Server, Socket } from 'node:net';
import { canonicalName, MAX_CNAME_HOPS, type RecordType, type ResourceRecord } from './records.js';
import type { ZoneSet } from './zone.js';

const require = createRequire(import.meta.url);

interface Question {
  name: string;
  type: number;
  class: number;
}
interface Dns2Answer {
  name: string;
  type: number;
  class: number;
  ttl: number;
  [field: string]: unknown;
}
interface Dns2Packet {
  header: { rcode: number; aa: number; tc?: number };
  questions: Question[];
  answers: Dns2Answer[];
}
type Send = (response: Dns2Packet) => unknown;
interface Dns2Server {
  on(event: 'request', handler: (request: Dns2Packet, send: Send) => void): void;
  on(event: 'requestError' | 'error', handler: (err: Error) => void): void;
  listen(port: number, address: string): Promise<void> | unknown;
  address(): AddressInfo | string | null;
  close(callback?: () => void): void;
}
interface Dns2Module {
  Packet: {
    TYPE: Record<string, number>;
    CLASS: Record<string, number>;
    createResponseFromRequest(request: Dns2Packet): Dns2Packet;
  };
  UDPServer: new (options?: object) => Dns2Server;
  TCPServer: new (options?: object) => Dns2Server;
}
const dns2 = require('dns2') as Dns2Module;
const { Packet } = dns2;

/** dns2's RCODE table is missing from its types; these are RFC 1035's. */
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
const MAX_TXT_STRING = 255;

export interface ZoneServerOptions {
  zones: ZoneSet;
  /** Added before every answer: the round trip the benchmarks simulate. */
  delayMs?: number;
  /** Questions never answered (a server that times out). */
  silent?: (name: string, type: string) => boolean;
  /** Questions answered SERVFAIL. */
  servfail?: (name: string, type: string) => boolean;
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

const typeNames = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, code]) => [code, name]));

/** dns2 does not split long TXT strings (DESIGN.md): a string over 255 bytes becomes several. */
function splitCharacterStrings(strings: string[]): Buffer[] {
  return strings.flatMap((s) => {
    const bytes = Buffer.from(s, 'utf8');
    if (bytes.length <= MAX_TXT_STRING) return [bytes];
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += MAX_TXT_STRING) parts.push(bytes.subarray(i, i + MAX_TXT_STRING));
    return parts;
  });
}

function toAnswer(name: string, record: ResourceRecord): Dns2Answer {
  const base = { name, type: Packet.TYPE[record.type]!, class: Packet.CLASS.IN!, ttl: 300 };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { ...base, address: record.value };
    case 'MX':
      return { ...base, priority: record.priority, exchange: record.exchange };
    case 'TXT':
    case 'SPF':
      return { ...base, data: splitCharacterStrings(record.strings) };
    case 'NS':
      return { ...base, ns: record.value };
    case 'PTR':
    case 'CNAME':
      return { ...base, domain: record.value };
  }
}

function answer(request: Dns2Packet, options: ZoneServerOptions): Dns2Packet | null {
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  const question = request.questions[0];
  if (!question) {
    response.header.rcode = RCODE.REFUSED;
    return response;
  }
  const typeName = typeNames.get(question.type) ?? String(question.type);
  const name = canonicalName(question.name);
  if (options.silent?.(name, typeName)) return null;
  if (options.servfail?.(name, typeName)) {
    response.header.rcode = RCODE.SERVFAIL;
    return response;
  }
  let current = name;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const found = options.zones.lookup(current, typeName as RecordType);
    if (!found) {
      // After a CNAME the chain simply ends here; the first name gets the configured answer.
      if (hop === 0) response.header.rcode = options.unknownNames === 'refused' ? RCODE.REFUSED : RCODE.NXDOMAIN;
      return response;
    }
    if (found.status === 'nxdomain') {
      if (hop === 0) response.header.rcode = RCODE.NXDOMAIN;
      return response;
    }
    if (found.status === 'nodata') return response;
    response.answers.push(...found.records.map((r) => toAnswer(current, r)));
    if (found.status === 'answer') return response;
    current = canonicalName(found.target);
  }
  return response;
}

async function listenUdp(host: string, port: number, handler: (request: Dns2Packet, send: Send) => void): Promise<Dns2Server> {
  const server = new dns2.UDPServer({ type: 'udp4' });
  server.on('request', handler);
  server.on('requestError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    void Promise.resolve(server.listen(port, host)).then(() => resolve());
  });
  return server;
}

async function listenTcp(host: string, port: number, handler: (request: Dns2Packet, send: Send) => void): Promise<Dns2Server> {
  const server = new dns2.TCPServer();
  server.on('request', handler);
  server.on('requestError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    (server as unknown as { listen(port: number, host: string, cb: () => void): void }).listen(port, host, () => resolve());
  });
  return server;
}

export async function startZoneServer(options: ZoneServerOptions, host = '127.0.0.1'): Promise<RunningZoneServer> {
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();
  const handler = (request: Dns2Packet, send: Send) => {
    received++;
    const response = answer(request, options);
    if (!response) return;
    const reply = () => {
      try {
        void Promise.resolve(send(response)).catch(() => undefined);
      } catch {
        // the client went away: nothing to answer
      }
    };
    if (options.delayMs && options.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, options.delayMs);
      timers.add(timer);
    } else reply();
  };
  // Bind UDP on an ephemeral port, then TCP on the same number; retry if TCP's is taken.
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = await listenUdp(host, 0, handler);
    const port = (udp.address() as AddressInfo).port;
    let tcp: Dns2Server;
    try {
      tcp = await listenTcp(host, port, handler);
    } catch {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      continue;
    }
    // Clients keep TCP connections open; closing must not wait for them.
    const sockets = new Set<Socket>();
    (tcp as unknown as Server).on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return {
      host,
      port,
      address: `${host}:${port}`,
      get received() {
        return received;
      },
      close: async () => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ]);
      },
    };
  }
  throw new Error(`could not bind UDP and TCP on one port of ${host}`);
}
