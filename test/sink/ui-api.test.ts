// The sink UI's ring and API without a browser: bounds, shapes, headers, errors.
import { afterEach, describe, expect, it } from 'vitest';
import { startUi, type RunningUi } from '../../src/sink/ui/http.js';
import { MessageRing, stageOf, subjectOf } from '../../src/sink/ui/ring.js';

const record = (id: number, bytes = 100) => ({
  line: { transaction: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`, time: new Date(0).toISOString(), role: 'mx', clientIp: '198.51.100.25', helo: 'mail.x.example', user: null, mailFrom: 'a@x.example', rcpt: ['b@163.com'], replies: [{ command: 'DATA', reply: '554 DT:SPM' }], verdict: 'fail', findings: [] },
  raw: [Buffer.from(`Subject: =?UTF-8?B?5rWL6K+V?= ${id}\r\n\r\n${'x'.repeat(bytes)}`)],
});

describe('the ring', () => {
  it('keeps the newest, within its count and its bytes', () => {
    const ring = new MessageRing({ messages: 3, bytes: 1000 });
    for (let i = 1; i <= 5; i++) ring.add(record(i));
    expect(ring.list().map((m) => m.subject)).toEqual(['测试 5', '测试 4', '测试 3']);
    ring.add(record(6, 900));
    expect(ring.list().map((m) => m.subject)).toEqual(['测试 6']);
  });
  it.each([
    ['MAIL FROM:<a@b>', 'MAIL'],
    ['RCPT TO:<a@b>', 'RCPT'],
    ['DATA', 'DATA'],
    ['', 'CONNECT'],
  ])('the stage of %j is %s', (command, stage) => expect(stageOf(command)).toBe(stage));
  it('reads the subject from the header section only, folded or encoded', () => {
    expect(subjectOf([Buffer.from('From: a\r\nSubject: one\r\n two\r\n\r\nSubject: not this')])).toBe('one two');
    expect(subjectOf(undefined)).toBe('');
  });
});

describe('the API', () => {
  let ui: RunningUi | undefined;
  afterEach(async () => ui?.close());
  const start = async (ring = new MessageRing()) => {
    ui = await startUi({ host: '127.0.0.1', port: 0, ring, providers: [], lang: 'en' });
    return { ring, url: ui.url };
  };

  it('lists, shows, serves the raw message and deletes', async () => {
    const { ring, url } = await start();
    ring.add(record(1));
    const list = (await (await fetch(`${url}api/v1/messages`)).json()) as { total: number; messages: { id: string; replies: unknown[] }[] };
    expect(list.total).toBe(1);
    expect(list.messages[0]!.replies).toEqual([{ command: 'DATA', reply: '554 DT:SPM', stage: 'DATA' }]);
    const id = list.messages[0]!.id;
    expect(await (await fetch(`${url}api/v1/messages/${id}`)).json()).toMatchObject({ id, subject: '测试 1', hasHtml: false, providers: [] });
    expect(await (await fetch(`${url}api/v1/messages/${id}/raw`)).text()).toMatch(/^Subject:/);
    expect((await fetch(`${url}api/v1/messages/${id}/html`)).status).toBe(404);
    expect(await (await fetch(`${url}api/v1/messages`, { method: 'DELETE' })).json()).toEqual({ deleted: 1 });
    expect((await fetch(`${url}api/v1/messages/${id}`)).status).toBe(404);
  });

  it('serves a message’s HTML under a sandboxing CSP, images only when asked', async () => {
    const { ring, url } = await start();
    ring.add({ ...record(2), raw: [Buffer.from('Subject: h\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>hi</p>')] });
    const id = ring.list()[0]!.id;
    const plain = await fetch(`${url}api/v1/messages/${id}/html`);
    expect(plain.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    expect(await plain.text()).toBe('<p>hi</p>');
    expect((await fetch(`${url}api/v1/messages/${id}/html?remote=1`)).headers.get('content-security-policy')).toContain('img-src data: http: https:');
  });

  it.each([
    ['an unknown path', '/api/v2/anything', 404],
    ['an id of another shape', '/api/v1/messages/../../etc/passwd', 404],
    ['an unknown message', '/api/v1/messages/00000000-0000-4000-8000-000000000099', 404],
  ])('%s: %i', async (_name, path, status) => {
    const { url } = await start();
    expect((await fetch(new URL(path, url))).status).toBe(status);
  });

  it('events: many messages arrive as a few batched events, none lost', async () => {
    const { ring, url } = await start();
    const controller = new AbortController();
    const res = await fetch(`${url}api/v1/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    for (let i = 1; i <= 50; i++) ring.add(record(i));
    let text = '';
    const started = Date.now();
    while ((text.match(/"id":/g) ?? []).length < 50 && Date.now() - started < 3000) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const events = text.split('\n\n').filter((e) => e.startsWith('event: messages'));
    expect(events.length).toBeLessThanOrEqual(3);
    expect(events.flatMap((e) => JSON.parse(e.split('data: ')[1]!) as unknown[])).toHaveLength(50);
  });

  it('the page itself allows scripts from itself only', async () => {
    const { url } = await start();
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(await page.text()).toContain('<title>presend sink</title>');
  });
});
