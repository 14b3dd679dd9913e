/**
 * STARTTLS on one MX as a sending MTA meets it: the greeting, EHLO, STARTTLS, the TLS
 * handshake with the MX's name (SNI) and the certificate verified (the system's CAs and
 * --ca-file's), then QUIT — never MAIL, and nothing goes over TLS that did not verify. A
 * handshake that fails verification says why by its error: an untrusted chain, a name the
 * certificate does not carry, an expired certificate.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
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
  /** Why verification failed: the chain, the name, or the dates (with the TLS error code in trustError). */
  certificateProblem?: 'untrusted' | 'name-mismatch' | 'expired';
  trustError?: string;
  validTo?: string;
  daysLeft?: number;
  subject?: string;
  issuer?: string;
}

const firstLine = (reply: Reply) => reply.text.split('\r\n')[0]!.slice(0, 200);

/** Node's TLS verification errors, by what they say about the certificate. */
function certificateProblem(code: string): StarttlsProbe['certificateProblem'] | null {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'name-mismatch';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'expired';
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|CERT_UNTRUSTED|CERT_CHAIN_TOO_LONG|INVALID_CA|CERT_REJECTED|CERT_SIGNATURE_FAILURE/.test(code)) return 'untrusted';
  return null;
}

/** What a verified handshake showed. */
function certificateFacts(tls: TLSSocket, now: number): Partial<StarttlsProbe> {
  const cert = tls.getPeerCertificate() as PeerCertificate;
  const cipher = tls.getCipher();
  const validTo = cert.valid_to;
  return {
    protocol: tls.getProtocol(),
    ...(cipher ? { cipher: cipher.name } : {}),
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
    const upgraded = connectTls({ socket, servername: o.host, ...(o.extraCa ? { ca: [...rootCertificates, o.extraCa] } : {}) });
    tls = upgraded;
    try {
      await new Promise<void>((resolve, reject) => {
        upgraded.once('secureConnect', resolve);
        upgraded.once('error', reject);
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const problem = certificateProblem(code);
      return problem ? { status: 'tls', certificateProblem: problem, trustError: code } : { status: 'tls-failed', detail: `TLS handshake: ${code}` };
    }
    const facts = certificateFacts(upgraded, now);
    upgraded.write('QUIT\r\n');
    return { status: 'tls', ...facts };
  } catch (err) {
    return { status: 'unreachable', detail: (err as Error).message.slice(0, 200) };
  } finally {
    tls?.destroy();
    socket?.destroy();
  }
}
