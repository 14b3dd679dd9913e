/**
 * STARTTLS on one MX as a sending MTA meets it: the greeting, EHLO, STARTTLS, the TLS
 * handshake with the MX's name (SNI) and the certificate verified (the system's CAs and
 * --ca-file's), then QUIT — never MAIL, and nothing is written over TLS that did not
 * verify: such a connection is closed as soon as the handshake shows the certificate.
 * Verification that fails says why by its error: an untrusted chain, a name the
 * certificate does not carry, an expired certificate. The chain the server sent is kept
 * either way, for DANE, which may vouch for a certificate no CA signed (RFC 7672 §3.1.1).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ReplyReader, type Reply } from '../smtp/reply-lines.js';
import { certificateProblem, type CertificateProblem } from './certificate-errors.js';
import { trustedCas } from './trust.js';

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
  certificateProblem?: CertificateProblem;
  trustError?: string;
  validTo?: string;
  daysLeft?: number;
  subject?: string;
  issuer?: string;
  /** @internal The certificates the server sent (DER), its own first: what DANE matches. Not evidence. */
  chain?: Buffer[];
  /** SHA-256 of each certificate's public key (SPKI), its own first: what a `3 1 1` TLSA record holds. */
  fingerprints?: string[];
}

const firstLine = (reply: Reply) => reply.text.split('\r\n')[0]!.slice(0, 200);

/** At most this many certificates of a chain are kept. */
const MAX_CHAIN = 8;

/** The chain as the server sent it, its own certificate first (Node links each to its issuer; a self-signed one to itself). */
function peerChain(tls: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  let cert = tls.getPeerCertificate(true) as (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined;
  const seen = new Set<string>();
  while (cert?.raw && chain.length < MAX_CHAIN && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert.raw);
    cert = cert.issuerCertificate as typeof cert;
  }
  return chain;
}

const spkiSha256 = (der: Buffer): string => {
  try {
    return createHash('sha256').update(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  } catch {
    return '';
  }
};

/** What a handshake showed. */
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
    // Verified below, by Node's own verdict (authorized / authorizationError): an unverified
    // certificate is read, and nothing is written over that connection.
    const upgraded = connectTls({ socket, servername: o.host, rejectUnauthorized: false, ...trustedCas(o.extraCa) });
    tls = upgraded;
    try {
      await new Promise<void>((resolve, reject) => {
        upgraded.once('secureConnect', resolve);
        upgraded.once('error', reject);
      });
    } catch (err) {
      return { status: 'tls-failed', detail: `TLS handshake: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    const chain = peerChain(upgraded);
    const shown = { chain, fingerprints: chain.map(spkiSha256) };
    if (!upgraded.authorized) {
      const code = String(upgraded.authorizationError ?? 'unverified');
      const problem = certificateProblem(code);
      return problem ? { status: 'tls', certificateProblem: problem, trustError: code, ...shown } : { status: 'tls-failed', detail: `TLS verification: ${code}`, ...shown };
    }
    const facts = certificateFacts(upgraded, now);
    upgraded.write('QUIT\r\n');
    return { status: 'tls', ...facts, ...shown };
  } catch (err) {
    return { status: 'unreachable', detail: (err as Error).message.slice(0, 200) };
  } finally {
    tls?.destroy();
    socket?.destroy();
  }
}

/** Probes of the last minute, by host, address, port and CA: mx-tls and dane read one connection. */
const recent = new Map<string, { at: number; probe: Promise<StarttlsProbe> }>();
const RECENT_MS = 60_000;
const MAX_RECENT = 1_000;

function probeStarttlsShared(o: StarttlsProbeOptions): Promise<StarttlsProbe> {
  const key = `${o.host}\u0000${o.address}\u0000${o.port}\u0000${o.extraCa ?? ''}`;
  const now = Date.now();
  const hit = recent.get(key);
  if (hit && now - hit.at < RECENT_MS) return hit.probe;
  if (recent.size >= MAX_RECENT) for (const [k, v] of recent) if (now - v.at >= RECENT_MS || recent.size >= MAX_RECENT) recent.delete(k);
  const probe = probeStarttls(o);
  recent.set(key, { at: now, probe });
  return probe;
}

/** MX hosts connected to per domain at most. */
const MAX_MX = 10;
const MX_PROBE_TIMEOUT_MS = 10_000;
export const SMTP_PORT = 25;

/** The MX hosts the posture checks connect to: the first ten. */
export const mxHostsToProbe = (hosts: string[]): string[] => hosts.slice(0, MAX_MX);

/** An MX as a sending MTA meets it — port 25, presend's EHLO name, ten seconds — one probe a minute per MX, shared by mx-tls and dane. */
export function probeMx(host: string, address: string, extraCa: string | undefined): Promise<StarttlsProbe> {
  return probeStarttlsShared({ host, address, port: SMTP_PORT, ehlo: 'presend.invalid', ...(extraCa ? { extraCa } : {}), timeoutMs: MX_PROBE_TIMEOUT_MS });
}
