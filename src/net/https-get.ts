/**
 * One HTTPS GET as a policy fetcher must make it (RFC 8461 §3.3): the host's address from
 * presend's own resolver (so zones answer offline), the certificate verified for the host
 * name against the system's CAs and --ca-file's, no redirect followed, a time limit, the body
 * capped. node:https, not fetch: fetch would follow redirects and resolve names itself.
 */
import { request } from 'node:https';
import { trustedCas } from './trust.js';

export interface HttpsGetOptions {
  host: string;
  path: string;
  /** The address to connect to, resolved beforehand. */
  address: string;
  /** Extra trusted CA certificates (PEM), beside the system's. */
  extraCa?: string;
  timeoutMs: number;
  maxBytes: number;
}

export interface HttpsGetResult {
  status: number;
  contentType: string;
  /** Where a redirect pointed (never followed). */
  location?: string;
  body: Buffer;
  /** The body went past maxBytes: what was read is kept, the rest dropped. */
  truncated: boolean;
  tlsProtocol: string | null;
}

export function httpsGet(o: HttpsGetOptions): Promise<HttpsGetResult> {
  return new Promise((resolve, reject) => {
    const family = o.address.includes(':') ? 6 : 4;
    const req = request(
      {
        host: o.host,
        servername: o.host,
        path: o.path,
        method: 'GET',
        port: 443,
        agent: false,
        headers: { 'User-Agent': 'presend', Accept: 'text/plain' },
        lookup: (_name, options, callback) => {
          const cb = callback as unknown as (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
          if ((options as { all?: boolean }).all) cb(null, [{ address: o.address, family }]);
          else cb(null, o.address, family);
        },
        ...trustedCas(o.extraCa),
        timeout: o.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let held = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (held + chunk.length > o.maxBytes) {
            truncated = true;
            chunks.push(chunk.subarray(0, o.maxBytes - held));
            held = o.maxBytes;
            res.destroy();
            finish();
            return;
          }
          held += chunk.length;
          chunks.push(chunk);
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          const socket = res.socket as { getProtocol?: () => string | null } | null;
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            ...(res.headers.location ? { location: String(res.headers.location).slice(0, 300) } : {}),
            body: Buffer.concat(chunks),
            truncated,
            tlsProtocol: socket?.getProtocol?.() ?? null,
          });
        };
        res.on('end', finish);
        res.on('error', (err) => (done ? undefined : reject(err)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
