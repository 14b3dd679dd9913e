import { describe, expect, it } from 'vitest';
import { effectiveLimits, ruleMatches, toFinding, type MatchContext } from '../../src/engine/match.js';
import type { Observation } from '../../src/engine/types.js';
import { loadProfile } from '../../src/profile/load.js';
import { contextOf, itEarnsEachRule, sharedRows, type RuleRow } from '../helpers/rule-table.js';

const profile = loadProfile();
const ctx = contextOf(profile);

/** rule id → an observation that must earn it (and the code it must carry). */
const table: Record<string, RuleRow> = {
  'helo-not-empty': ['helo-present', 'helo', { empty: true }, '550 MI:NHD'],
  'sender-not-null': ['null-sender', 'mail-from', { nullSender: true }, '553 Requested action not taken: NULL sender is not allowed'],
  'sender-address-valid': ['sender-syntax', 'mail-from-syntax', { valid: false, address: 'a@', reason: 'empty domain' }, '550 MI:IMF'],
  'spf-authorized': ['spf', 'result', { result: 'fail', domain: 'a.test', ip: '192.0.2.1', record: 'v=spf1 -all' }, '550 MI:SPF'],
  'spf-weak-result': ['spf', 'result', { result: 'softfail', domain: 'a.test', ip: '192.0.2.1' }, '550 MI:SPF'],
  'spf-permerror': ['spf', 'result', { result: 'permerror', domain: 'a.test', reason: 'x' }, '550 MI:SPF'],
  'spf-could-not-check': ['spf', 'result', { result: 'temperror', domain: 'a.test', reason: 'DNS timeout' }, '550 MI:SPF'],
  'spf-record-missing': ['spf-record', 'record-count', { count: 0, status: 'answered', domain: 'a.test' }, '550 MI:SPF'],
  'spf-record-could-not-check': ['spf-record', 'record-count', { status: 'could-not-check', domain: 'a.test', outcome: 'timeout' }, '550 MI:SPF'],
  'spf-record-single': ['spf-record', 'record-count', { count: 2, status: 'answered', domain: 'a.test' }, '550 MI:SPF'],
  'spf-record-syntax': ['spf-record', 'syntax', { valid: false, term: 'ip4:1.2.3', reason: 'bad' }, '550 MI:SPF'],
  'spf-lookup-limit': ['spf-record', 'lookups', { count: 11, breakdown: 'include:x=11' }, '550 MI:SPF'],
  'spf-lookup-near-limit': ['spf-record', 'lookups', { count: 10, breakdown: 'include:x=10' }, null],
  'spf-void-limit': ['spf-record', 'void-lookups', { count: 3, names: ['a', 'b', 'c'] }, '550 MI:SPF'],
  'spf-pass-all': ['spf-record', 'all', { qualifier: '+' }, '550 DT:SPM'],
  'spf-neutral-all': ['spf-record', 'all', { qualifier: '?' }, '550 MI:SPF'],
  'spf-no-all': ['spf-record', 'all', { qualifier: 'none' }, null],
  'spf-ptr-mechanism': ['spf-record', 'ptr-mechanism', { term: 'ptr' }, null],
  'spf-rr-type': ['spf-record', 'spf-rr-type', {}, null],
  'spf-long-string': ['spf-record', 'long-string', { bytes: 300 }, null],
  'spf-long-record': ['spf-record', 'long-record', { bytes: 500 }, null],
  'spf-include-loop': ['spf-record', 'include-loop', { path: 'a → b → a' }, '550 MI:SPF'],
  'spf-redirect-with-all': ['spf-record', 'redirect-with-all', {}, null],
  'spf-include-missing': ['spf-record', 'include-target', { status: 'nxdomain', target: 'x.test' }, '550 MI:SPF'],
  'spf-include-could-not-check': ['spf-record', 'include-target', { status: 'could-not-check', target: 'x.test' }, '550 MI:SPF'],
  'dmarc-aligned-reject': ['dmarc', 'evaluation', { result: 'pass', policy: 'none', resultRfc7489: 'fail', policyRfc7489: 'reject' }, '550 MI:DMA'],
  'dmarc-aligned-none': ['dmarc', 'evaluation', { result: 'fail', policy: 'reject', resultRfc7489: 'fail', policyRfc7489: 'none' }, '550 MI:DMA'],
  'dmarc-could-not-check': ['dmarc', 'evaluation', { result: 'temperror', policy: 'reject' }, '550 MI:DMA'],
  'dmarc-record-missing': ['dmarc', 'record', { status: 'none' }, null],
  'dmarc-record-broken': ['dmarc', 'record', { status: 'broken', location: '_dmarc.x.test', problem: 'x' }, null],
  'dmarc-record-could-not-check': ['dmarc', 'record', { status: 'could-not-check' }, '550 MI:DMA'],
  'dmarc-lint': ['dmarc', 'lint', { level: 'warning', problem: 'x' }, null],
  'dmarc-advice': ['dmarc', 'lint', { level: 'info', problem: 'x' }, null],
  'dmarc-report-authorization': ['dmarc', 'report-authorization', { authorized: false }, null],
  'ip-not-listed': ['dnsbl', 'listed', { listKind: 'ip', subject: '192.0.2.1' }, '450 DT:RBL'],
  'domain-not-listed': ['dnsbl', 'listed', { listKind: 'domain', subject: 'a.test' }, '554 DT:SPM'],
  'dnsbl-unusable': ['dnsbl', 'list-unusable', { reason: 'x' }, '450 DT:RBL'],
  'dnsbl-could-not-check': ['dnsbl', 'could-not-check', { outcome: 'timeout' }, '450 DT:RBL'],
  'ptr-forward-confirmed': ['ptr', 'ptr', { status: 'none' }, '550 DT:SPM'],
  'ptr-could-not-check': ['ptr', 'ptr', { status: 'could-not-check' }, null],
  'helo-well-formed': ['helo', 'helo', { problem: 'bare-ip' }, '550 DT:SPM'],
  'helo-resolves': ['helo', 'helo', { problem: 'mismatch' }, '550 DT:SPM'],
  'helo-could-not-check': ['helo', 'helo', { problem: 'could-not-check' }, null],
  'sender-domain-real': ['sender-domain', 'domain', { status: 'null-mx' }, '421 HL:MEP'],
  'sender-domain-could-not-check': ['sender-domain', 'domain', { status: 'could-not-check' }, null],
  'dkim-key-usable': ['dkim-key', 'key', { status: 'revoked' }, null],
  'dkim-key-advice': ['dkim-key', 'key', { status: 'testing' }, null],
  'dkim-key-could-not-check': ['dkim-key', 'key', { status: 'could-not-check' }, null],
  'envelope-matches-from': ['from-alignment', 'alignment', { relation: 'different-organization' }, '554 DT:SUM'],
  'envelope-same-organization': ['from-alignment', 'alignment', { relation: 'same-organization' }, null],
  'from-header-valid': ['from-alignment', 'from-header', { problem: 'missing' }, '550 MI:IMF'],
  'attachment-forbidden': ['attachments', 'attachment', { extension: '.scr' }, '552 Illegal Attachment'],
  'attachment-executable': ['attachments', 'attachment', { extension: '.exe' }, '552 Illegal Attachment'],
  'attachment-double-extension': ['attachments', 'attachment', { extension: '.txt', doubleExtension: true }, '554 DT:SPM'],
  'attachment-type-mismatch': ['attachments', 'attachment', { extension: '.txt', typeMismatch: true }, '554 DT:SPM'],
  'attachment-content-disguised': ['attachments', 'content', { executable: true, disguised: true }, '552 Illegal Attachment'],
  'part-not-inspected': ['attachments', 'not-inspected', { path: 'part 2' }, null],
  'archive-encrypted': ['attachments', 'archive', { encrypted: true, complete: true }, null],
  'archive-not-fully-listed': ['attachments', 'archive', { encrypted: false, complete: false }, null],
  'message-size-limit': ['message-size', 'size', { bytes: 60 * 1024 * 1024 }, '552 Requested mail action aborted: exceeded mailsize limit'],
  'recipients-limit': ['recipients', 'recipients', { count: 101 }, '550 RP:RCL'],
  'message-well-formed': ['message-format', 'format', { level: 'warning', problem: 'missing-date' }, '550 DT:SPM'],
  'message-format-advice': ['message-format', 'format', { level: 'info', problem: 'missing-subject' }, null],
  'content-signal': ['content-signals', 'signal', { signal: 'link-to-ip', family: 'links', weight: 4.6 }, '554 DT:SPM'],
  ...sharedRows('554 DT:SPM'),
  'content-spam-likely': ['content-signals', 'score', { score: 9.2, threshold: 4, reached: true, signals: ['link-to-ip', 'date-invalid'] }, '554 DT:SPM'],
  'bulk-has-unsubscribe': ['unsubscribe', 'unsubscribe', { problem: 'missing' }, null],
  'dkim-signature-valid': ['dkim', 'signature', { result: 'fail' }, null],
  'dkim-signature-could-not-check': ['dkim', 'signature', { result: 'temperror' }, null],
  'dkim-signature-missing': ['dkim', 'signature', { result: 'none' }, null],
  'account-sender-matches': ['account', 'sender', { matches: false, role: 'header From', address: 'a@163.com', account: 'b@163.com' }, '553 Mail from must equal authorized user'],
  'mx-sender-is-provider-account': ['sender-syntax', 'mail-from-syntax', { valid: true, address: 'me@163.com', domain: '163.com' }, '553 Requested action not taken: no smtp MX only'],
  'submission-test-subject': ['content', 'text', { subject: '测试', bodyChars: 200 }, '554 DT:SPM'],
  'submission-near-empty-body': ['content', 'text', { subject: 'monthly report', bodyChars: 3 }, '554 DT:SPM'],
  'submission-repeated-content': ['content', 'repeated', { repeats: 2 }, '554 DT:SPM'],
  'submission-missing-headers': ['content', 'headers', { missing: ['to'], missingCount: 1 }, '554 DT:SPM'],
};

describe('every rule of rules/netease.yaml', () => {
  itEarnsEachRule(profile, table);

  it('does not fire on a passing observation', () => {
    const passing: Observation[] = [
      { check: 'spf', kind: 'result', data: { result: 'pass' }, evidence: {} },
      { check: 'helo-present', kind: 'helo', data: { empty: false }, evidence: {} },
      { check: 'recipients', kind: 'recipients', data: { count: 100 }, evidence: {} },
      { check: 'message-size', kind: 'size', data: { bytes: 50 * 1024 * 1024 }, evidence: {} },
      { check: 'attachments', kind: 'attachment', data: { extension: '.pdf', doubleExtension: false, typeMismatch: false }, evidence: {} },
      { check: 'dmarc', kind: 'evaluation', data: { result: 'pass', policy: 'reject' }, evidence: {} },
    ];
    for (const o of passing) expect(profile.rules.filter((r) => ruleMatches(r, o, ctx))).toEqual([]);
  });

  it('uses a command-line limit instead of the profile one', () => {
    const limited: MatchContext = { ...ctx, limits: effectiveLimits(profile, { 'max-recipients': 5 }) };
    const o: Observation = { check: 'recipients', kind: 'recipients', data: { count: 6 }, evidence: {} };
    const rule = profile.rules.find((r) => r.id === 'recipients-limit')!;
    expect(ruleMatches(rule, o, limited)).toBe(true);
    expect(toFinding(rule, o, limited).message).toContain('5 (set on the command line)');
  });

  it('speaks Chinese with --lang zh', () => {
    const rule = profile.rules.find((r) => r.id === 'helo-not-empty')!;
    const finding = toFinding(rule, { check: 'helo-present', kind: 'helo', data: { empty: true }, evidence: {} }, { ...ctx, lang: 'zh' });
    expect(finding.message).toContain('HELO 为空');
    expect(finding.remedy).toMatch(/[\u4e00-\u9fff]/);
  });
});
