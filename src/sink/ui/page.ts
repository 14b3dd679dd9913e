/**
 * The sink UI's page, its style and its script, built into the package as strings. Plain
 * DOM code (no view library: one list, one detail pane and an event stream stay well under
 * a few hundred lines). Text from messages only ever goes in through textContent; the
 * draft's HTML and the report open in sandboxed frames served by http.ts.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>presend sink</title>
<link rel="stylesheet" href="/ui.css">
<script src="/ui.js" defer></script>
</head>
<body>
<header>
  <h1>presend sink</h1>
  <p id="status" role="status" aria-live="polite">connecting…</p>
  <label for="filter">Filter</label>
  <input id="filter" type="search" placeholder="subject, sender, reply, code, role, provider">
  <button id="delete" type="button">Delete all</button>
</header>
<main>
  <section id="list-pane" aria-labelledby="list-title">
    <h2 id="list-title">Messages, newest first</h2>
    <table id="list">
      <thead><tr><th scope="col">Time</th><th scope="col">Verdict</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Reply</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="empty">No message yet: point your mailer at the sink.</p>
  </section>
  <section id="detail" aria-labelledby="detail-title" hidden>
    <h2 id="detail-title">Message</h2>
    <dl id="envelope"></dl>
    <nav aria-label="Message views">
      <button type="button" data-tab="transcript" aria-pressed="true">Transcript</button>
      <button type="button" data-tab="verdict" aria-pressed="false">Verdict</button>
      <button type="button" data-tab="headers" aria-pressed="false">Headers</button>
      <button type="button" data-tab="text" aria-pressed="false">Text</button>
      <button type="button" data-tab="html" aria-pressed="false">HTML</button>
      <button type="button" data-tab="attachments" aria-pressed="false">Attachments</button>
      <a id="raw" href="#" download>Download .eml</a>
    </nav>
    <div class="tab" id="tab-transcript"><table><thead><tr><th scope="col">Stage</th><th scope="col">Command</th><th scope="col">Reply</th></tr></thead><tbody></tbody></table></div>
    <div class="tab" id="tab-verdict" hidden><div id="providers"></div><iframe id="report" title="The full report" sandbox></iframe></div>
    <div class="tab" id="tab-headers" hidden><table><thead><tr><th scope="col">Field</th><th scope="col">Value</th></tr></thead><tbody></tbody></table></div>
    <div class="tab" id="tab-text" hidden><pre id="text"></pre></div>
    <div class="tab" id="tab-html" hidden>
      <p><label><input id="remote" type="checkbox"> Load remote images (tells the sender you opened it)</label></p>
      <iframe id="html" title="The message's HTML part, sandboxed: no scripts, nothing remote" sandbox></iframe>
    </div>
    <div class="tab" id="tab-attachments" hidden><ul id="attachments"></ul></div>
  </section>
</main>
</body>
</html>
`;

export const PAGE_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #d0d0d0; --fail: #a4001c; --warn: #7a4b00; --pass: #1d6b2b; --pick: #e8f0fe; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--ink); background: #fff; }
header { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; padding: 10px 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 15px; margin: 0 0 8px; }
#status { margin: 0; color: var(--muted); }
input[type=search] { flex: 1; min-width: 220px; padding: 5px 8px; border: 1px solid #767676; border-radius: 4px; }
button, #raw { padding: 5px 10px; border: 1px solid #767676; border-radius: 4px; background: #f5f5f5; color: var(--ink); cursor: pointer; text-decoration: none; font: inherit; }
button[aria-pressed=true] { background: var(--ink); color: #fff; }
main { display: grid; grid-template-columns: minmax(320px, 2fr) 3fr; min-height: calc(100vh - 56px); }
section { padding: 12px 16px; overflow: auto; }
#list-pane { border-right: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
/* Fixed columns: a flood's rows are laid out as they come, not the whole table measured again each time. */
#list { table-layout: fixed; }
#list td { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#list th:nth-child(1) { width: 8.5em; }
#list th:nth-child(2) { width: 4.5em; }
#list th:nth-child(5) { width: 9em; }
#list tbody tr { cursor: pointer; }
#list tbody tr:hover, #list tbody tr[aria-selected=true] { background: var(--pick); }
#list tbody tr:focus { outline: 2px solid #1a56c4; outline-offset: -2px; }
.verdict-fail { color: var(--fail); font-weight: 600; }
.verdict-warn { color: var(--warn); font-weight: 600; }
.verdict-pass { color: var(--pass); font-weight: 600; }
.reply-refused { color: var(--fail); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 10px; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-all; }
nav { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 10px; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f7; padding: 8px; }
iframe { width: 100%; height: 60vh; border: 1px solid var(--line); background: #fff; }
.provider { margin-bottom: 10px; }
.provider h3 { font-size: 14px; margin: 0 0 4px; }
.finding { margin: 2px 0; }
.code { font-family: ui-monospace, monospace; }
`;

export const PAGE_JS = `'use strict';
(() => {
  const $ = (selector) => document.querySelector(selector);
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const api = (path, init) => fetch(path, init).then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.status + ' ' + r.statusText))));
  let messages = [];
  let selected = null;
  // A sink can take hundreds of messages a second, on the machine this page runs on: they
  // arrive in batches (http.ts), are drawn as new rows on top (the list is rebuilt only when
  // the filter changes), and the list shows the newest SHOWN that match.
  const SHOWN = 100;

  const lastReply = (m) => (m.replies.length ? m.replies[m.replies.length - 1].reply : '');
  const refused = (reply) => /^[45]/.test(reply);
  const haystack = (m) => [m.subject, m.mailFrom, m.rcpt.join(' '), m.role, m.clientIp, m.user, m.verdict, m.replies.map((r) => r.command + ' ' + r.reply).join(' ')].join(' ').toLowerCase();

  function row(m) {
    const tr = el('tr');
    tr.tabIndex = 0;
    tr.dataset.id = m.id;
    tr.setAttribute('aria-selected', String(m.id === selected));
    const from = el('td', m.mailFrom || '<>');
    const subject = el('td', m.subject || '(no subject)');
    // Cut to the column in the list: the whole of each on hover, and in the detail pane.
    from.title = from.textContent;
    subject.title = subject.textContent;
    tr.append(el('td', new Date(m.time).toLocaleTimeString()), el('td', m.verdict || '—', 'verdict-' + (m.verdict || 'none')), from, subject);
    const reply = lastReply(m);
    tr.append(el('td', reply, refused(reply) ? 'reply-refused code' : 'code'));
    tr.addEventListener('click', () => show(m.id));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(m.id); } });
    return tr;
  }

  function renderList() {
    const words = $('#filter').value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    const matching = words.length ? messages.filter((m) => words.every((w) => haystack(m).includes(w))) : messages;
    const shown = matching.slice(0, SHOWN);
    $('#list tbody').replaceChildren(...shown.map(row));
    $('#empty').hidden = messages.length > 0;
    $('#status').textContent = messages.length + ' message' + (messages.length === 1 ? '' : 's') + (shown.length !== messages.length ? ', ' + shown.length + ' shown' : '');
  }

  function tab(name) {
    for (const b of document.querySelectorAll('nav button')) b.setAttribute('aria-pressed', String(b.dataset.tab === name));
    for (const t of document.querySelectorAll('.tab')) t.hidden = t.id !== 'tab-' + name;
  }

  async function show(id) {
    selected = id;
    renderList();
    const d = await api('/api/v1/messages/' + id);
    $('#detail').hidden = false;
    $('#detail-title').textContent = d.subject || '(no subject)';
    const facts = [['Verdict', d.verdict || '—'], ['Role', d.role], ['Client', d.clientIp + (d.helo ? ' (HELO ' + d.helo + ')' : '')], ['Login', d.user || '—'], ['Mail from', d.mailFrom || '<>'], ['Recipients', d.rcpt.join(', ')], ['Size', d.size + ' bytes']];
    $('#envelope').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
    $('#tab-transcript tbody').replaceChildren(...d.replies.map((r) => { const tr = el('tr'); tr.append(el('td', r.stage), el('td', r.command, 'code'), el('td', r.reply, refused(r.reply) ? 'reply-refused code' : 'code')); return tr; }));
    $('#providers').replaceChildren(...d.providers.map((p) => {
      const box = el('div', undefined, 'provider');
      box.append(el('h3', p.provider));
      for (const f of p.findings) box.append(el('p', f.severity + ' · ' + (f.code || 'no code') + ' · ' + f.rule + ' — ' + f.message, 'finding verdict-' + (f.severity === 'error' ? 'fail' : f.severity === 'warning' ? 'warn' : 'pass')));
      if (p.findings.length === 0) box.append(el('p', 'no finding', 'finding verdict-pass'));
      return box;
    }));
    $('#report').src = d.verdict ? '/api/v1/messages/' + id + '/report' : 'about:blank';
    $('#tab-headers tbody').replaceChildren(...d.headers.map((h) => { const tr = el('tr'); tr.append(el('td', h.key, 'code'), el('td', h.value)); return tr; }));
    $('#text').textContent = d.text || '(no text part)';
    $('#remote').checked = false;
    $('#html').src = d.hasHtml ? '/api/v1/messages/' + id + '/html' : 'about:blank';
    $('#attachments').replaceChildren(...(d.attachments.length ? d.attachments.map((a) => el('li', a.path + ' — ' + a.type + ', ' + a.size + ' bytes' + (a.sniffed ? ', content: ' + a.sniffed : '') + (a.inside ? ', inside: ' + a.inside.join(', ') : '') + (a.notInspected ? ', not inspected: ' + a.notInspected : ''))) : [el('li', 'none')]));
    $('#raw').href = '/api/v1/messages/' + id + '/raw';
  }

  for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => tab(b.dataset.tab));
  $('#remote').addEventListener('change', () => { if (selected) $('#html').src = '/api/v1/messages/' + selected + '/html' + ($('#remote').checked ? '?remote=1' : ''); });
  $('#filter').addEventListener('input', renderList);
  $('#delete').addEventListener('click', () => api('/api/v1/messages', { method: 'DELETE' }).catch(() => undefined));

  api('/api/v1/messages').then((r) => { messages = r.messages; renderList(); });
  const events = new EventSource('/api/v1/events');
  function drawArrivals(batch) {
    const fresh = batch.reverse();
    messages = fresh.concat(messages).slice(0, 1000);
    const words = $('#filter').value.trim();
    if (words) return renderList();
    const body = $('#list tbody');
    if (fresh.length >= SHOWN) body.replaceChildren(...fresh.slice(0, SHOWN).map(row));
    else {
      body.prepend(...fresh.map(row));
      while (body.rows.length > SHOWN) body.deleteRow(-1);
    }
    $('#empty').hidden = true;
    $('#status').textContent = messages.length + ' message' + (messages.length === 1 ? '' : 's') + (messages.length > SHOWN ? ', newest ' + SHOWN + ' shown' : '');
  }
  events.addEventListener('messages', (e) => drawArrivals(JSON.parse(e.data)));
  events.addEventListener('cleared', () => { messages = []; selected = null; $('#detail').hidden = true; renderList(); });
  events.addEventListener('error', () => { $('#status').textContent = 'connection to the sink lost; retrying…'; });
})();
`;
