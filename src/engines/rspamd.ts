/**
 * rspamd's HTTP protocol (`POST /checkv2`, https://rspamd.com/doc/developers/protocol.html):
 * the message as the body, the envelope in headers, a JSON verdict back. node:http is used
 * rather than fetch so the reply can be capped as it arrives and no HTTP client is loaded
 * for a run that never asks rspamd.
 */
import { ENGINE_TIMEOUT_MS, MAX_ENGINE_REPLY_BYTES, type EngineVerdict } from './verdict.js';

export interface RspamdEnvelope {
  ip?: string;
  helo?: string;
  mailFrom: string;
  rcpt: string[];
  /** The authenticated user, on the submission path. */
  user?: string;
}

/** The actions after which rspamd's message is not delivered as ham. */
const SPAM_ACTIONS = new Set(['reject', 'soft reject', 'rewrite subject', 'add header']);

interface CheckV2Reply {
  score?: unknown;
  required_score?: unknown;
  action?: unknown;
  is_skipped?: unknown;
  symbols?: Record<string, { name?: unknown; score?: unknown }>;
}

export function parseCheckV2(body: string): EngineVerdict {
  let reply: CheckV2Reply;
  try {
    reply = JSON.parse(body) as CheckV2Reply;
  } catch {
    throw new Error(`not a /checkv2 reply (${JSON.stringify(body.slice(0, 80))})`);
  }
  if (typeof reply.score !== 'number' || typeof reply.action !== 'string') throw new Error('a /checkv2 reply without a score and an action');
  if (reply.is_skipped === true) throw new Error('rspamd skipped the message (its settings exempt it)');
  const symbols = Object.values(reply.symbols ?? {})
    .filter((s) => typeof s.name === 'string')
    .map((s) => ({ name: String(s.name), ...(typeof s.score === 'number' ? { score: s.score } : {}) }));
  return {
    engine: 'rspamd',
    spam: SPAM_ACTIONS.has(reply.action),
    score: reply.score,
    required: typeof reply.required_score === 'number' ? reply.required_score : NaN,
    action: reply.action,
    symbols,
  };
}

export async function askRspamd(base: string, message: Buffer, envelope: RspamdEnvelope): Promise<EngineVerdict> {
  const url = new URL('checkv2', base.endsWith('/') ? base : `${base}/`);
  const headers: Record<string, string | string[]> = { 'Content-Length': String(message.length), From: envelope.mailFrom || '<>' };
  if (envelope.ip) headers.IP = envelope.ip;
  if (envelope.helo) headers.Helo = envelope.helo;
  if (envelope.rcpt.length > 0) headers.Rcpt = envelope.rcpt.slice(0, 100);
  if (envelope.user) headers.User = envelope.user;
  // Loaded on first use: a run that asks no rspamd loads no HTTP client.
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: ENGINE_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let held = 0;
      res.on('data', (chunk: Buffer) => {
        held += chunk.length;
        if (held > MAX_ENGINE_REPLY_BYTES) return req.destroy(new Error(`a reply larger than ${MAX_ENGINE_REPLY_BYTES} bytes`));
        chunks.push(chunk);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 120)}`));
        try {
          resolve(parseCheckV2(body));
        } catch (err) {
          reject(err as Error);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ENGINE_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(message);
  });
}
