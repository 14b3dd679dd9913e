import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as presend from '../src/index.js';
import { fixtureZones } from './helpers/fixtures.js';

describe('presend as a library', () => {
  let server: presend.RunningZoneServer;
  beforeAll(async () => {
    server = await presend.startZoneServer({ zones: fixtureZones() });
  });
  afterAll(() => server.close());

  it('runs the same pipeline as the CLI', async () => {
    const session = presend.createSession({ lang: 'en', servers: [server.address], zoneFiles: [], offline: false, dnsbl: ['bl.spamcop.net'] });
    const report = await presend.checkTarget(session, presend.domainInputs('shop.example', { ip: '203.0.113.5', helo: 'mail.shop.example' }));
    expect(report.verdict).toBe('fail');
    expect(report.findings.map((f) => f.code)).toContain('550 MI:SPF');
    const draft = await presend.checkTarget(session, presend.emlInputs(await presend.readMessage('fixtures/drafts/attachment-bat.eml'), { offline: false }));
    expect(draft.findings.map((f) => f.token)).toContain('Illegal Attachment');
    expect(presend.exitStatus(draft.findings, 'error')).toBe(1);
  });
});
