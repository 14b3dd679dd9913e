/**
 * `presend sink --ui` in a real browser: a message nodemailer sends shows up within a second
 * of its refusal, with its transcript, its findings and its HTML part — whose scripts do not
 * run and whose remote images do not load (a loopback server counts the requests: none).
 * axe-core finds no serious or critical violation; screenshots go to test-output/.
 */
import { createServer, request, type Server } from 'node:http';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/engine/session.js';
import { startSink, type RunningSink } from '../../src/sink/server.js';
import { startUi, type RunningUi } from '../../src/sink/ui/http.js';
import { MessageRing } from '../../src/sink/ui/ring.js';
import { chromiumPath, launch, screenshot, seriousViolations } from '../helpers/browser.js';
import { fixtureZones } from '../helpers/fixtures.js';

describe.skipIf(!chromiumPath)('the sink UI in Chromium', () => {
  let browser: Browser;
  let sink: RunningSink;
  let ui: RunningUi;
  let counter: Server;
  let counterPort = 0;
  const requests: string[] = [];
  const ring = new MessageRing();
  const refusedAt: number[] = [];

  beforeAll(async () => {
    counter = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'image/png' }).end();
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', () => r()));
    counterPort = (counter.address() as { port: number }).port;
    const session = createSession({ lang: 'en', servers: [], zoneFiles: [], zones: fixtureZones(), offline: true });
    sink = await startSink({ session, role: 'mx', host: '127.0.0.1', port: 0, accounts: [], accept: false, clientIp: '198.51.100.25', log: () => undefined, onTransaction: (record) => void ring.add(record) });
    ui = await startUi({ host: '127.0.0.1', port: 0, ring, providers: [{ provider: 'netease', label: 'NetEase' }], lang: 'en' });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await sink?.close();
    await new Promise((r) => counter?.close(r));
  });

  const hostile = () => [
    'From: "Account Team" <security20391x@notice-mail.example>',
    'To: reader@163.com',
    'Subject: VERIFY YOUR ACCOUNT TODAY',
    'Date: Sat, 28 Nov 2026 10:00:00',
    'Message-ID: <000801c2415d$1fa9f0c0$0100a8c0@notice-mail.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><h1 id="seen">Your account is locked</h1>`,
    `<img src="http://127.0.0.1:${counterPort}/remote-image.png" alt="logo">`,
    `<script>fetch("http://127.0.0.1:${counterPort}/script-ran"); document.title = "scripted";</script>`,
    `<p><a href="https://bit.ly/3xYzAbc">https://www.paypal.com/verify</a></p></body></html>`,
    '',
  ].join('\r\n');

  it('lists a refused message within a second, with its transcript, findings and a sandboxed HTML part', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(ui.url);
    await page.waitForSelector('#status:has-text("0 messages")');
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, name: 'mail.notice-mail.example' });
    const sent = transport.sendMail({ envelope: { from: 'security20391x@notice-mail.example', to: ['reader@163.com'] }, raw: hostile() }).catch((err: { response?: string }) => {
      refusedAt.push(Date.now());
      return err.response;
    });
    expect(await sent).toBe('554 DT:SPM');
    await page.waitForSelector('#list tbody tr', { timeout: 1000 });
    const shownAfter = Date.now() - refusedAt[0]!;
    expect(shownAfter).toBeLessThan(1000);
    await expect.poll(() => page.textContent('#list tbody tr')).toContain('554 DT:SPM');

    await page.click('#list tbody tr');
    await page.waitForSelector('#tab-transcript tbody tr');
    expect(await page.textContent('#tab-transcript')).toContain('554 DT:SPM');
    await page.click('nav button[data-tab=verdict]');
    expect(await page.textContent('#providers')).toMatch(/content-spam-likely/);
    await page.click('nav button[data-tab=html]');
    const frame = page.frameLocator('#html');
    await expect.poll(() => frame.locator('#seen').textContent()).toBe('Your account is locked');
    await page.waitForTimeout(500);
    // Neither the draft's script nor its remote image reached the loopback server.
    expect(requests).toEqual([]);
    expect(await frame.locator('html').evaluate(() => document.title).catch(() => 'not scriptable')).not.toBe('scripted');
    await page.click('nav button[data-tab=verdict]');
    await screenshot(page, 'sink-ui.png');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('loads remote images only when the reader asks', async () => {
    const page = await browser.newPage();
    await page.goto(ui.url);
    await page.click('#list tbody tr');
    await page.click('nav button[data-tab=html]');
    // The message's detail loads after the click; the toggle is the reader's once it has (loading it resets the toggle).
    await expect.poll(() => page.frameLocator('#html').locator('#seen').textContent(), { timeout: 5000 }).toBe('Your account is locked');
    expect(requests).toEqual([]);
    await page.check('#remote');
    await expect.poll(() => requests.filter((r) => r === '/remote-image.png').length, { timeout: 5000 }).toBe(1);
    expect(requests).not.toContain('/script-ran');
    await page.close();
  });

  it('serves the JSON API in Mailpit’s shape, and DELETE empties it (the page follows by its event stream)', async () => {
    const list = (await (await fetch(`${ui.url}api/v1/messages`)).json()) as { messages: { id: string; replies: { stage: string }[] }[] };
    expect(list.messages[0]!.replies.map((r) => r.stage)).toEqual(['MAIL', 'RCPT', 'DATA']);
    const raw = await fetch(`${ui.url}api/v1/messages/${list.messages[0]!.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(await raw.text()).toContain('Subject: VERIFY YOUR ACCOUNT TODAY');
    const page = await browser.newPage();
    await page.goto(ui.url);
    await page.waitForSelector('#list tbody tr');
    expect(await (await fetch(`${ui.url}api/v1/messages`, { method: 'DELETE' })).json()).toEqual({ deleted: 1 });
    await page.waitForSelector('#status:has-text("0 messages")');
    expect(await page.$$('#list tbody tr')).toHaveLength(0);
    await page.close();
  });

  it('answers only to its own address (a DNS-rebinding page gets nothing)', async () => {
    // fetch may not set Host; node:http sends what a rebinding page's browser would.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request({ host: '127.0.0.1', port: ui.port, path: '/api/v1/messages', headers: { Host: `attacker.example:${ui.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });
});
