/**
 * The bundled CLI (bin/presend.js → dist/cli-bundle/) reads drafts as the library does.
 * The bundle is built differently from dist/: dependencies inlined, libmime's load-time work
 * deferred by a build-time rewrite (scripts/lazy-libmime.js), CommonJS packages imported
 * on use. Every fixture draft — GBK, Big5, ISO-2022-JP, UTF-16 and UTF-7 among them —
 * checked through the bundle gives the findings, evidence and check outcomes the library
 * gives for it in process.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDrafts } from '../../src/engine/drafts.js';
import { createSession } from '../../src/engine/session.js';
import type { Report } from '../../src/engine/types.js';
import { readMessage } from '../../src/message/read.js';
import { presend } from '../helpers/cli.js';

const drafts = readdirSync('fixtures/drafts')
  .filter((f) => f.endsWith('.eml'))
  .map((f) => `fixtures/drafts/${f}`);

interface Seen {
  findings: { rule: string; severity: string; code: string | null; evidence: unknown }[];
  checks: { check: string; status: string }[];
  error?: string;
}

const seen = (r: { findings: Seen['findings']; checks: Seen['checks']; error?: string }): Seen => ({
  findings: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, code: f.code, evidence: f.evidence })),
  checks: r.checks.map((c) => ({ check: c.check, status: c.status })),
  ...(r.error !== undefined ? { error: r.error } : {}),
});

describe('the bundled CLI reads every fixture draft as the library does', () => {
  it(`${drafts.length} drafts, one run each way`, async () => {
    const cli = await presend(['eml', ...drafts, '--offline', '--format', 'json', '--fail-on', 'never']);
    expect(cli.stderr.split('\n').filter((l) => l !== '' && !/^presend: .*(empty|not a message)/.test(l))).toEqual([]);
    const bundled = (JSON.parse(cli.stdout) as { reports: Parameters<typeof seen>[0][] }).reports.map(seen);

    const session = createSession({ lang: 'en', servers: [], zoneFiles: [], offline: true });
    const library = (await checkDrafts(session, drafts, { offline: true }, 8, readMessage)).map((r: Report) => seen(JSON.parse(JSON.stringify(r)) as Parameters<typeof seen>[0]));

    expect(bundled).toHaveLength(drafts.length);
    bundled.forEach((report, i) => expect({ draft: drafts[i], ...report }).toEqual({ draft: drafts[i], ...library[i] }));
  });
});
