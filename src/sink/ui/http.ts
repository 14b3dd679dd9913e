/**
 * The sink's web UI and its JSON API, in Mailpit's shape (/api/v1/messages, …/{id},
 * …/{id}/raw, /api/v1/events), on node:http: a handful of routes over the ring, which
 * a framework would not make shorter. Every response says what may load it (CSP); the
 * draft's own HTML is served sandboxed, with no scripts and nothing remote unless asked.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatHtml, type HtmlProvider } from '../../report/html.js';
import { summarize } from '../../report/summary.js';
import type { Lang } from '../../engine/types.js';
import { version } from '../../version.js';
import { detailOf, htmlPartOf } from './detail.js';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from './page.js';
import type { MessageRing } from './ring.js';

export interface UiOptions {
  host: string;
  port: number;
  ring: MessageRing;
  providers: HtmlProvider[];
  lang: Lang;
}

export interface RunningUi {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Server-sent-event listeners at once: each holds a socket open. */
const MAX_EVENT_CLIENTS = 64;
/** How long messages gather before they go out as one event: well inside the second a developer waits. */
const EVENT_BATCH_MS = 200;
/**
 * Under load (a batch of BUSY_BATCH or more) the next batch gathers for a second: a page that
 * draws five large batches a second costs the machine more than the sink it watches, and a
 * flood reads no better at 5 frames a second than at one. A lone message still shows in 200 ms.
 */
const BUSY_BATCH = 50;
const BUSY_BATCH_MS = 1000;
/** The page keeps the newest 1,000; a batch never carries more. */
const MAX_BATCH = 1000;

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** The draft's HTML: its own sandbox (no scripts, no forms, a unique origin), inline styles, images only from data: — or from anywhere when the reader asks. */
const draftCsp = (remote: boolean) => `sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:${remote ? ' http: https:' : ''}; font-src data:`;
const REPORT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', ...headers });
  res.end(body);
}
const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

/** A request whose Host is not this server's (a DNS-rebinding page) is refused when the UI listens on loopback. */
function hostAllowed(req: IncomingMessage, bound: { host: string; port: number }): boolean {
  if (bound.host !== '127.0.0.1' && bound.host !== '::1' && bound.host !== 'localhost') return true;
  const host = (req.headers.host ?? '').toLowerCase();
  return [`127.0.0.1:${bound.port}`, `localhost:${bound.port}`, `[::1]:${bound.port}`].includes(host);
}

export async function startUi(options: UiOptions): Promise<RunningUi> {
  const { ring } = options;
  let eventClients = 0;
  const bound = { host: options.host, port: options.port };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req, bound)) return send(res, 421, 'text/plain; charset=utf-8', 'this UI answers only to its own address\n');
    const url = new URL(req.url ?? '/', 'http://ui');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML, { 'Content-Security-Policy': PAGE_CSP });
    if (req.method === 'GET' && path === '/ui.js') return send(res, 200, 'text/javascript; charset=utf-8', PAGE_JS);
    if (req.method === 'GET' && path === '/ui.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS);
    if (path === '/api/v1/messages') {
      if (req.method === 'GET') return json(res, 200, { total: ring.list().length, messages: ring.list() });
      if (req.method === 'DELETE') {
        const deleted = ring.list().length;
        ring.clear();
        return json(res, 200, { deleted });
      }
      return json(res, 405, { error: 'GET or DELETE' });
    }
    if (req.method === 'GET' && path === '/api/v1/events') return events(req, res);
    const m = /^\/api\/v1\/messages\/([0-9a-f-]{36})(?:\/(raw|html|report))?$/.exec(path);
    const message = m ? ring.get(m[1]!) : undefined;
    if (!m || req.method !== 'GET') return json(res, 404, { error: 'not found' });
    if (!message) return json(res, 404, { error: `no message ${m[1]} (deleted, or pushed out of the UI's ${ring.list().length}-message window)` });
    switch (m[2]) {
      case undefined:
        return json(res, 200, await detailOf(message));
      case 'raw':
        if (!message.raw) return json(res, 404, { error: 'this transaction delivered no message, or it was too large to keep' });
        return send(res, 200, 'message/rfc822', Buffer.concat(message.raw), { 'Content-Disposition': `attachment; filename="${message.id}.eml"` });
      case 'html': {
        const html = await htmlPartOf(message);
        if (html === undefined) return json(res, 404, { error: 'the message has no HTML part' });
        return send(res, 200, 'text/html; charset=utf-8', html, { 'Content-Security-Policy': draftCsp(url.searchParams.get('remote') === '1') });
      }
      default: {
        if (!message.report) return json(res, 404, { error: 'this transaction delivered no message to judge' });
        const page = formatHtml([message.report], options.providers, { lang: options.lang, version, summary: summarize([message.report], 'error') });
        return send(res, 200, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': REPORT_CSP });
      }
    }
  };

  const events = (req: IncomingMessage, res: ServerResponse) => {
    if (eventClients >= MAX_EVENT_CLIENTS) return json(res, 503, { error: `${MAX_EVENT_CLIENTS} event streams are open already` });
    eventClients++;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.write(': presend sink events\n\n');
    // Messages go out in batches, one event every EVENT_BATCH_MS at most: at hundreds of
    // messages a second, one event each would cost the browser (and the machine) more than the sink.
    let batch: unknown[] = [];
    let timer: NodeJS.Timeout | undefined;
    let busy = false;
    const flush = () => {
      timer = undefined;
      busy = batch.length >= BUSY_BATCH;
      if (batch.length > 0) res.write(`event: messages\ndata: ${JSON.stringify(batch.slice(-MAX_BATCH))}\n\n`);
      batch = [];
    };
    const unsubscribe = ring.subscribe((event, data) => {
      if (event === 'message') {
        batch.push(data);
        if (batch.length > 2 * MAX_BATCH) batch = batch.slice(-MAX_BATCH);
        timer ??= setTimeout(flush, busy ? BUSY_BATCH_MS : EVENT_BATCH_MS);
        return;
      }
      batch = [];
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    });
    req.on('close', () => {
      unsubscribe();
      clearTimeout(timer);
      eventClients--;
    });
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  bound.port = (server.address() as AddressInfo).port;
  const shown = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return {
    host: bound.host,
    port: bound.port,
    url: `http://${shown}:${bound.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
