import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { UsageError } from '../../src/errors.js';
import { emlInputs, type EnvelopeOptions } from '../../src/engine/inputs.js';
import { checkTarget, createSession } from '../../src/engine/session.js';
import type { Report } from '../../src/engine/types.js';
import { readMessage } from '../../src/message/read.js';
import { serveZoneSet } from '../helpers/dns.js';
import { fixtureZones } from '../helpers/fixtures.js';

type Expected = [rule: string, severity: string, token: string | null][];

async function check(file: string, envelope: EnvelopeOptions & { dnsbl?: string[] }, servers: string[] = []): Promise<Report> {
  const session = createSession({ lang: 'en', servers, timeoutMs: 1500, zoneFiles: [], offline: envelope.offline ?? false, dnsbl: envelope.dnsbl });
  return checkTarget(session, emlInputs(await readMessage(`fixtures/drafts/${file}`), envelope));
}
const found = (r: Report) => r.findings.map((f) => [f.rule, f.severity, f.token]);

describe('each draft yields exactly its findings (message checks, --offline)', () => {
  const table: [string, Expected][] = [
    ['attachment-bat.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    ['attachment-content-type-name.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    ['attachment-rfc2231-chinese.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    ['attachment-gb2312.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    // No Content-Type: the part's type comes from its name's extension (libmime's table), and the zip is listed.
    ['attachment-no-content-type.eml', [['attachment-executable', 'warning', 'Illegal Attachment']]],
    ['charset-gbk.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    ['charset-iso-2022-jp.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    // UTF-7 is not read as UTF-7 (it smuggles markup): the name stays as sent, and is still a program.
    ['charset-utf-7.eml', [['attachment-executable', 'warning', 'Illegal Attachment'], ['attachment-double-extension', 'warning', 'DT:SPM']]],
    ['charset-utf-16-big5.eml', [['attachment-forbidden', 'error', 'Illegal Attachment'], ['content-signal', 'warning', 'DT:SPM'], ['message-format-advice', 'info', null]]],
    // Both carry a Windows program's bytes (MZ) under a PDF type or a photo's name: sniffed by content too.
    ['attachment-double-extension.eml', [['attachment-executable', 'warning', 'Illegal Attachment'], ['attachment-double-extension', 'warning', 'DT:SPM'], ['attachment-type-mismatch', 'warning', 'DT:SPM'], ['attachment-content-disguised', 'warning', 'Illegal Attachment']]],
    ['attachment-type-mismatch.eml', [['attachment-type-mismatch', 'warning', 'DT:SPM'], ['attachment-content-disguised', 'warning', 'Illegal Attachment']]],
    ['zip-with-cmd.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    ['zip-encrypted.eml', [['archive-encrypted', 'warning', null]]],
    ['forwarded-scr.eml', [['attachment-forbidden', 'error', 'Illegal Attachment']]],
    ['from-other-organization.eml', [['envelope-matches-from', 'error', 'DT:SUM']]],
    ['from-same-organization.eml', [['envelope-same-organization', 'info', null]]],
    ['from-missing.eml', [['from-header-valid', 'error', 'MI:IMF']]],
    ['from-multiple-no-sender.eml', [['from-header-valid', 'error', 'MI:IMF']]],
    ['from-unparseable.eml', [['from-header-valid', 'error', 'MI:IMF']]],
    ['from-domain-underscore.eml', [['from-header-valid', 'error', 'MI:IMF']]],
    ['from-two-headers.eml', [['from-header-valid', 'error', 'MI:IMF']]],
    ['headers-repeated.eml', [['message-well-formed', 'warning', 'DT:SPM']]],
    ['no-return-path.eml', []],
    ['recipients-120.eml', [['recipients-limit', 'error', 'RP:RCL'], ['bulk-has-unsubscribe', 'warning', null]]],
    ['bulk-no-unsubscribe.eml', [['bulk-has-unsubscribe', 'warning', null]]],
    ['bulk-mailto-unsubscribe.eml', [['bulk-has-unsubscribe', 'warning', null]]],
    // An HTML body without a text part is advice now (it does not tell spam apart: issue 24).
    ['format-problems.eml', [...Array.from({ length: 5 }, () => ['message-well-formed', 'warning', 'DT:SPM'] as [string, string, string]), ['message-format-advice', 'info', null]]],
    ['clean-newsletter.eml', [['envelope-same-organization', 'info', null]]],
    ['clean-plain.eml', [['envelope-same-organization', 'info', null]]],
    ['link-listed-domain.eml', []],
    ['demo-campaign.eml', [['envelope-matches-from', 'error', 'DT:SUM'], ['attachment-forbidden', 'error', 'Illegal Attachment'], ['recipients-limit', 'error', 'RP:RCL'], ['bulk-has-unsubscribe', 'warning', null], ['message-format-advice', 'info', null]]],
  ];
  it.each(table)('%s', async (file, expected) => {
    const report = await check(file, { offline: true });
    expect(found(report)).toEqual(expected);
    expect(report.checks.filter((c) => c.status === 'crashed')).toEqual([]);
  });

  it('names the path inside archives and forwarded messages', async () => {
    const zip = await check('zip-with-cmd.eml', { offline: true });
    expect(zip.findings[0]!.evidence).toMatchObject({ path: 'report.zip › report/tools/install.cmd' });
    const fwd = await check('forwarded-scr.eml', { offline: true });
    expect(fwd.findings[0]!.evidence).toMatchObject({ path: 'fwd-screensaver.eml › winter.scr' });
  });

  it.each([
    ['attachment-rfc2231-chinese.eml', '工资单.vbs'],
    ['attachment-gb2312.eml', '报价单.js'],
    ['charset-gbk.eml', '对账单.vbs'],
    ['charset-utf-16-big5.eml', '報價單.scr'],
    ['charset-iso-2022-jp.eml', '見積書.js'],
    ['charset-utf-7.eml', '+ADw-script+AD4-.pdf.exe'],
  ])('decodes attachment names in their charsets: %s → %s', async (file, name) => {
    expect((await check(file, { offline: true })).findings[0]!.evidence).toMatchObject({ name });
  });

  it('says where the envelope sender came from', async () => {
    expect((await check('from-other-organization.eml', { offline: true })).notes[0]).toContain('Return-Path');
    expect((await check('no-return-path.eml', { offline: true })).notes[0]).toContain('From header');
    const flagged = await check('from-other-organization.eml', { offline: true, mailFrom: 'bounce@shop.example' });
    expect(found(flagged)).toEqual([['envelope-same-organization', 'info', null]]);
  });

  it('applies --max-message-size and --max-recipients', async () => {
    const small = await check('clean-plain.eml', { offline: true, maxMessageSize: '1KB' });
    expect(found(small)).toContainEqual(['message-size-limit', 'error', 'exceeded mailsize limit']);
    const few = await check('clean-plain.eml', { offline: true, rcpt: ['a@163.com', 'b@126.com'], maxRecipients: '2' });
    expect(found(few)).toContainEqual(['recipients-limit', 'error', 'RP:RCL']);
  });

  it.each([
    ['empty.eml', /empty file/],
    ['not-a-message.bin', /binary data/],
    ['does-not-exist.eml', /cannot read \(ENOENT\)/],
  ])('%s is a clear error naming the file', async (file, pattern) => {
    await expect(readMessage(`fixtures/drafts/${file}`)).rejects.toThrow(UsageError);
    await expect(readMessage(`fixtures/drafts/${file}`)).rejects.toThrow(pattern);
  });
});

describe('drafts with DNS (fixture zones over a loopback server)', () => {
  let server: RunningZoneServer;
  beforeAll(async () => {
    server = await serveZoneSet(fixtureZones());
  });
  afterAll(() => server.close());

  const table: [string, EnvelopeOptions & { dnsbl?: string[] }, Expected][] = [
    ['clean-newsletter.eml', { ip: '198.51.100.25', helo: 'mail.newsletter.example', dnsbl: ['bl.spamcop.net', 'dbl.spamhaus.org'] }, [['envelope-same-organization', 'info', null]]],
    ['dkim-body-altered.eml', { ip: '198.51.100.25', helo: 'mail.newsletter.example', dnsbl: ['bl.spamcop.net'] }, [['dkim-signature-valid', 'warning', null], ['envelope-same-organization', 'info', null]]],
    ['dkim-body-altered.eml', { ip: '203.0.113.5', helo: 'mail.newsletter.example', dnsbl: [] }, [
      ['spf-authorized', 'error', 'MI:SPF'], ['dmarc-aligned-reject', 'error', 'MI:DMA'], ['ptr-forward-confirmed', 'warning', 'DT:SPM'], ['helo-resolves', 'warning', 'DT:SPM'], ['dkim-signature-valid', 'warning', null], ['envelope-same-organization', 'info', null],
    ]],
    ['link-listed-domain.eml', { ip: '198.51.100.25', helo: 'mail.newsletter.example', mailFrom: 'news@newsletter.example', from: 'news@newsletter.example', dnsbl: ['dbl.spamhaus.org'] }, [['domain-not-listed', 'error', 'DT:SPM'], ['dkim-signature-missing', 'info', null]]],
  ];
  it.each(table)('%s %j', async (file, envelope, expected) => {
    const report = await check(file, envelope, [server.address]);
    expect(found(report)).toEqual(expected);
  });

  it('DKIM-aligned DMARC passes even when SPF does not', async () => {
    const report = await check('clean-plain.eml', { ip: '203.0.113.5', helo: 'mail.newsletter.example', dnsbl: [] }, [server.address]);
    expect(report.findings.map((f) => f.rule)).toContain('spf-authorized');
    expect(report.findings.map((f) => f.rule)).not.toContain('dmarc-aligned-reject');
    expect(report.checks.find((c) => c.check === 'dkim')?.status).toBe('pass');
  });
});
