/**
 * STARTTLS on one MX as a sending MTA meets it: the greeting, EHLO, STARTTLS, the TLS
 * handshake with the MX's name (SNI), then QUIT — never MAIL. The certificate is examined
 * rather than required (chain, name, expiry, protocol are each reported), so the handshake
 * accepts it and the verdict comes from what it showed.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { checkServerIdentity, connect as connectTls, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ReplyReader, type Reply } from '../smtp/reply-lines.js';

export interface StarttlsProbeOptions {
  /** The MX's name: what the certificate must name, and the SNI. */
  host: string;
  address: string;
  port: number;
  ehlo: string;
  extraCa?: string;
  timeoutMs: number;
}

export interface StarttlsProbe {
  status: 'tls' | 'no-starttls' | 'refused' | 'tls-failed' | 'unreachable';
  /** The step it ended at and why, when it did not end in TLS. */
  detail?: string;
  protocol?: string | null;
  cipher?: string;
  /** The chain verifies to a trusted CA (the system's, or --ca-file's). */
  trusted?: boolean;
  trustError?: string;
  nameMatches?: boolean;
  validTo?: string;
  daysLeft?: number;
  subject?: string;
  issuer?: string;
}

const firstLine = (reply: Reply) => reply.text.split('\r\n')[0]!.slice(0, 200);

function certificateFacts(tls: TLSSocket, host: string, now: number): Partial<StarttlsProbe> {
  const cert = tls.getPeerCertificate() as PeerCertificate | undefined;
  const cipher = tls.getCipher();
  if (!cert || Object.keys(cert).length === 0) return { protocol: tls.getProtocol(), trusted: false, trustError: 'no certificate' };
  const validTo = cert.valid_to;
  return {
    protocol: tls.getProtocol(),
    ...(cipher ? { cipher: cipher.name } : {}),
    trusted: tls.authorized,
    ...(tls.authorizationError ? { trustError: String(tls.authorizationError) } : {}),
    nameMatches: checkServerIdentity(host, cert) === undefined,
    validTo,
    daysLeft: Math.floor((Date.parse(validTo) - now) / 86_400_000),
    subject: cert.subject?.CN ? String(cert.subject.CN) : '',
    issuer: cert.issuer?.CN ? String(cert.issuer.CN) : '',
  };
}

export async function probeStarttls(o: StarttlsProbeOptions, now = Date.now()): Promise<StarttlsProbe> {
  let socket: Socket | undefined;
  let tls: TLSSocket | undefined;
  try {
    socket = connectTcp({ host: o.address, port: o.port });
    socket.setTimeout(o.timeoutMs, () => socket?.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    const reader = new ReplyReader(socket);
    try {
      await new Promise<void>((resolve, reject) => {
        socket!.once('connect', resolve);
        socket!.once('error', reject);
      });
    } catch (err) {
      return { status: 'unreachable', detail: `connect to ${o.address}:${o.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    const greeting = await reader.next(o.timeoutMs);
    if (greeting.status !== 220) return { status: 'refused', detail: `greeting: ${firstLine(greeting)}` };
    socket.write(`EHLO ${o.ehlo}\r\n`);
    const ehlo = await reader.next(o.timeoutMs);
    if (ehlo.status !== 250) return { status: 'refused', detail: `EHLO: ${firstLine(ehlo)}` };
    if (!/^250[ -]STARTTLS\b/im.test(ehlo.text)) return { status: 'no-starttls', detail: 'EHLO lists no STARTTLS' };
    socket.write('STARTTLS\r\n');
    const ready = await reader.next(o.timeoutMs);
    if (ready.status !== 220) return { status: 'no-starttls', detail: `STARTTLS: ${firstLine(ready)}` };
    const upgraded = connectTls({ socket, servername: o.host, rejectUnauthorized: false, ...(o.extraCa ? { ca: [...rootCertificates, o.extraCa] } : {}) });
    tls = upgraded;
    try {
      await new Promise<void>((resolve, reject) => {
        upgraded.once('secureConnect', resolve);
        upgraded.once('error', reject);
      });
    } catch (err) {
      return { status: 'tls-failed', detail: `TLS handshake: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    const facts = certificateFacts(upgraded, o.host, now);
    upgraded.write('QUIT\r\n');
    return { status: 'tls', ...facts };
  } catch (err) {
    return { status: 'unreachable', detail: (err as Error).message.slice(0, 200) };
  } finally {
    tls?.destroy();
    socket?.destroy();
  }
}
