/**
 * Every rule of rules/gmail.yaml, as the NetEase profile's rules are tested: an
 * observation that must earn exactly it, its Gmail reply and severity; observations of a
 * sender that meets Google's guidelines earn nothing.
 */
import { describe, expect, it } from 'vitest';
import { ruleMatches } from '../../src/engine/match.js';
import type { Observation } from '../../src/engine/types.js';
import { defaultProfilePath, loadProfile } from '../../src/profile/load.js';
import { contextOf, itEarnsEachRule, sharedRows, type RuleRow } from '../helpers/rule-table.js';

const profile = loadProfile(defaultProfilePath('gmail'));
const ctx = contextOf(profile);

const PTR = "550 5.7.25 This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address.";
const DMARC = "550 5.7.26 Unauthenticated email from [domain-name] is not accepted due to domain's DMARC policy.";
const SPAM = '550 5.7.1 This message is likely unsolicited email.';
const BLOCKED = '552 5.7.0 This message was blocked because its content presents a potential security issue.';

/** rule id → an observation that must earn it (and the reply it must carry). */
const table: Record<string, RuleRow> = {
  authenticated: ['authentication', 'summary', { spf: 'fail', dkimSignatures: 0, dkimPassed: 0, anyPassed: false, bothPassed: false, undecided: false, bulk: false }, '550 5.7.26 This email has been blocked because the sender is unauthenticated.'],
  'bulk-spf-and-dkim': ['authentication', 'summary', { spf: 'pass', dkimSignatures: 0, dkimPassed: 0, anyPassed: true, bothPassed: false, undecided: false, bulk: true }, null],
  'spf-hard-fail': ['spf', 'result', { result: 'fail', domain: 'a.test', ip: '192.0.2.1', record: 'v=spf1 -all' }, '550 5.7.26 The (E)MAIL FROM domain [domain-name] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [ip-address].'],
  'spf-could-not-check': ['spf', 'result', { result: 'temperror', domain: 'a.test' }, null],
  'dmarc-reject': ['dmarc', 'evaluation', { result: 'fail', policy: 'reject', fromDomain: 'a.test' }, DMARC],
  'dmarc-quarantine': ['dmarc', 'evaluation', { result: 'fail', policy: 'quarantine', fromDomain: 'a.test' }, null],
  'dmarc-aligned-for-bulk': ['dmarc', 'evaluation', { result: 'fail', policy: 'none', fromDomain: 'a.test' }, "421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain."],
  'dmarc-could-not-check': ['dmarc', 'evaluation', { result: 'temperror', fromDomain: 'a.test' }, "451 4.7.26 Unauthenticated email from [domain-name] is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication."],
  'dmarc-published-for-bulk': ['dmarc', 'record', { status: 'none', fromDomain: 'a.test' }, "550 5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy."],
  'ptr-forward-confirmed': ['ptr', 'ptr', { status: 'not-confirmed', ip: '192.0.2.1' }, PTR],
  'ptr-could-not-check': ['ptr', 'ptr', { status: 'could-not-check', ip: '192.0.2.1' }, PTR],
  'helo-not-empty': ['helo-present', 'helo', { empty: true }, '501 5.5.4 Empty HELO/EHLO argument not allowed, closing connection.'],
  'sender-address-valid': ['sender-syntax', 'mail-from-syntax', { valid: false, address: 'a@' }, '553 5.1.7 The sender address [address] is not a valid RFC 5321 address.'],
  'from-header-present': ['from-alignment', 'from-header', { problem: 'missing' }, '550 5.7.1 Messages missing a valid address in the From: header, or having no From: header, are not accepted.'],
  'from-header-single': ['from-alignment', 'from-header', { problem: 'multiple-without-sender' }, '550 5.7.1 Messages with multiple addresses in the From: header are not accepted.'],
  'from-not-gmail': ['from-alignment', 'alignment', { relation: 'same', from: 'me@gmail.com', fromDomain: 'gmail.com' }, DMARC],
  'message-id-valid': ['message-format', 'format', { level: 'warning', problem: 'missing-message-id' }, '550 5.7.1 Messages missing a valid Message-ID: header are not accepted.'],
  'from-header-once': ['from-alignment', 'from-header', { problem: 'several-from-headers' }, '550 5.7.1 This message is not RFC 5322 compliant because it has multiple From: headers.'],
  'from-domain-compliant': ['from-alignment', 'from-header', { problem: 'from-domain-invalid' }, '550 5.7.1 This message is not RFC 5322 compliant because the From: header has a non-compliant domain name.'],
  'headers-once': ['message-format', 'format', { level: 'warning', problem: 'duplicate-header', headers: ['subject'] }, '550 5.7.1 This message is not RFC 5322 compliant because it has duplicate headers.'],
  'header-unicode': ['message-format', 'format', { level: 'warning', problem: 'raw-8bit-header' }, '550 5.7.1 The message contains a unicode character in a disallowed header.'],
  'message-rfc5322': ['message-format', 'format', { level: 'warning', problem: 'missing-date' }, null],
  'attachment-blocked': ['attachments', 'attachment', { extension: '.exe', path: 'part 2' }, BLOCKED],
  'attachment-content-disguised': ['attachments', 'content', { executable: true, disguised: true }, BLOCKED],
  'message-size-limit': ['message-size', 'size', { bytes: 60 * 1024 * 1024 }, "552 5.3.4 Your message exceeded Google's message size limits."],
  'bulk-one-click-unsubscribe': ['unsubscribe', 'unsubscribe', { problem: 'missing' }, null],
  'content-signal': ['content-signals', 'signal', { signal: 'link-to-ip', family: 'links', weight: 4.6 }, SPAM],
  ...sharedRows(SPAM),
  'content-spam-likely': ['content-signals', 'score', { score: 9.2, threshold: 4, reached: true, signals: ['link-to-ip', 'date-invalid'] }, SPAM],
};

describe('every rule of rules/gmail.yaml', () => {
  itEarnsEachRule(profile, table);

  it('a sender that meets the guidelines earns nothing', () => {
    const passing: Observation[] = [
      { check: 'authentication', kind: 'summary', data: { anyPassed: true, bothPassed: true, undecided: false, bulk: true }, evidence: {} },
      { check: 'authentication', kind: 'summary', data: { anyPassed: true, bothPassed: false, undecided: false, bulk: false }, evidence: {} },
      { check: 'spf', kind: 'result', data: { result: 'pass' }, evidence: {} },
      { check: 'ptr', kind: 'ptr', data: { status: 'confirmed' }, evidence: {} },
      { check: 'dmarc', kind: 'evaluation', data: { result: 'pass', policy: 'reject' }, evidence: {} },
      { check: 'from-alignment', kind: 'alignment', data: { relation: 'same', fromDomain: 'shop.example' }, evidence: {} },
      { check: 'attachments', kind: 'attachment', data: { extension: '.pdf' }, evidence: {} },
      { check: 'message-size', kind: 'size', data: { bytes: 40 * 1024 * 1024 }, evidence: {} },
      { check: 'message-format', kind: 'format', data: { level: 'info', problem: 'missing-subject' }, evidence: {} },
    ];
    for (const o of passing) expect(profile.rules.filter((r) => ruleMatches(r, o, ctx)).map((r) => r.id)).toEqual([]);
  });

  it('every code is Google\'s, with a source in the profile, and every rule speaks both languages', () => {
    for (const entry of profile.codes) {
      expect(entry.code).toMatch(/^[245]\d\d [245]\.\d\.\d+ /);
      expect(profile.sources[entry.source]).toBeDefined();
    }
    for (const rule of profile.rules) expect(rule.message.zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
