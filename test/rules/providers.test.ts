/**
 * The rules of the Outlook.com, Yahoo and QQ Mail profiles, as NetEase's and Gmail's are
 * tested: per rule an observation that must earn exactly it, with its reply; and every
 * shipped profile sources every code and speaks both languages in every rule.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/engine/types.js';
import { defaultProfilePath, loadProfile } from '../../src/profile/load.js';
import { itEarnsEachRule, sharedRows, type RuleRow } from '../helpers/rule-table.js';
import { knownProviders } from '../../src/profile/providers.js';

const auth = (over: Observation['data']): Observation['data'] => ({ spf: 'pass', dkimSignatures: 0, dkimPassed: 0, anyPassed: true, bothPassed: false, undecided: false, bulk: true, ...over });
const O365 = '550 5.7.515 Access denied, sending domain [SendingDomain] does not meet the required authentication level.';

const tables: Record<string, Record<string, RuleRow>> = {
  outlook: {
    'high-volume-authentication': ['authentication', 'summary', auth({}), O365],
    'dmarc-published-for-high-volume': ['dmarc', 'record', { status: 'none', fromDomain: 'a.test' }, O365],
    'dmarc-reject': ['dmarc', 'evaluation', { result: 'fail', policy: 'reject' }, '550 5.7.509 Access denied, sending domain [SendingDomain] does not pass DMARC verification and has a DMARC policy of reject.'],
    'spf-authorized': ['spf', 'result', { result: 'fail', domain: 'a.test', record: 'v=spf1 ip4:192.0.2.0/24 -all' }, '550 5.7.23 The message was rejected because of Sender Policy Framework violation'],
    'sender-id-deny-all': ['spf', 'result', { result: 'fail', domain: 'a.test', record: 'v=spf1 -all' }, '550 command rejected due to Sender ID validation failure.'],
    'originator-fields-once': ['message-format', 'format', { level: 'warning', problem: 'duplicate-header', headers: ['subject', 'reply-to'] }, '550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant'],
    'spamhaus-dynamic': ['dnsbl', 'listed', { list: 'Spamhaus ZEN', answer: '127.0.0.11', listKind: 'ip' }, '550 DY-001'],
    'spamhaus-listed': ['dnsbl', 'listed', { list: 'Spamhaus ZEN', answer: '127.0.0.2', listKind: 'ip' }, '550 OU-001'],
    'from-header-valid': ['from-alignment', 'from-header', { problem: 'missing' }, '550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant'],
    'ptr-forward-confirmed': ['ptr', 'ptr', { status: 'none', ip: '192.0.2.1' }, null],
    'bulk-unsubscribe': ['unsubscribe', 'unsubscribe', { problem: 'missing' }, null],
    'content-signal': ['content-signals', 'signal', { signal: 'link-to-ip', family: 'links', weight: 4.6 }, null],
    ...sharedRows('550 5.7.520 Message blocked because it contains content identified as spam. AS(4810)'),
    'content-spam-likely': ['content-signals', 'score', { score: 9.2, threshold: 4, reached: true, signals: ['link-to-ip', 'date-invalid'] }, '550 5.7.520 Message blocked because it contains content identified as spam. AS(4810)'],
  },
  yahoo: {
    authenticated: ['authentication', 'summary', auth({ spf: 'fail', anyPassed: false, bulk: false }), '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.'],
    'bulk-spf-and-dkim': ['authentication', 'summary', auth({}), null],
    'dmarc-reject': ['dmarc', 'evaluation', { result: 'fail', policy: 'reject' }, '554 5.7.9 Message not accepted for policy reasons.'],
    'dmarc-published-for-bulk': ['dmarc', 'record', { status: 'broken' }, null],
    'spamhaus-listed': ['dnsbl', 'listed', { list: 'Spamhaus ZEN', answer: '127.0.0.2', listKind: 'ip' }, "553 5.7.1 [BL21] Connections will not be accepted from [IP], because the ip is in Spamhaus's list"],
    'spamhaus-xbl-listed': ['dnsbl', 'listed', { list: 'Spamhaus ZEN', answer: '127.0.0.4', listKind: 'ip' }, '553 5.7.1 [BL23] Connections not accepted from IP addresses on Spamhaus XBL'],
    'sender-domain-resolves': ['sender-domain', 'domain', { status: 'nxdomain', role: 'envelope', domain: 'a.test' }, '451 Message temporarily deferred due to unresolvable RFC.5321 from domain.'],
    'from-domain-resolves': ['sender-domain', 'domain', { status: 'no-mail-host', role: 'From', domain: 'a.test' }, null],
    'null-mx-sender': ['sender-domain', 'domain', { status: 'null-mx', role: 'envelope', domain: 'a.test' }, null],
    'ptr-forward-confirmed': ['ptr', 'ptr', { status: 'not-confirmed' }, null],
    'headers-rfc-compliant': ['message-format', 'format', { level: 'warning', problem: 'duplicate-header', headers: ['subject'] }, '554 Message not allowed - Headers are not RFC compliant[291]'],
    'from-header-once': ['from-alignment', 'from-header', { problem: 'several-from-headers' }, '554 Message not allowed - Headers are not RFC compliant[291]'],
    'from-address-characters': ['from-alignment', 'from-header', { problem: 'from-domain-invalid' }, null],
    'bulk-one-click-unsubscribe': ['unsubscribe', 'unsubscribe', { problem: 'no-one-click' }, null],
    'content-signal': ['content-signals', 'signal', { signal: 'link-to-ip', family: 'links', weight: 4.6 }, null],
    ...sharedRows('554 Message not allowed - [PH01] Email not accepted for policy reasons.'),
    'content-spam-likely': ['content-signals', 'score', { score: 9.2, threshold: 4, reached: true, signals: ['link-to-ip', 'date-invalid'] }, '554 Message not allowed - [PH01] Email not accepted for policy reasons.'],
  },
  qq: {
    'spf-authorized': ['spf', 'result', { result: 'fail' }, '550 SPF check failed'],
    'spf-could-not-check': ['spf', 'result', { result: 'temperror' }, '550 SPF check failed'],
    'dmarc-aligned': ['dmarc', 'evaluation', { resultRfc7489: 'fail', policyRfc7489: 'quarantine' }, '550 DMARC check failed'],
    'message-size-limit': ['message-size', 'size', { bytes: 60 * 1024 * 1024 }, '550 Message too large'],
    'content-signal': ['content-signals', 'signal', { signal: 'link-to-ip', family: 'links', weight: 4.6 }, null],
    ...sharedRows('550 Mail content denied'),
    'content-spam-likely': ['content-signals', 'score', { score: 9.2, threshold: 4, reached: true, signals: ['link-to-ip', 'date-invalid'] }, '550 Mail content denied'],
  },
};

describe.each(Object.entries(tables))('every rule of rules/%s.yaml', (provider, table) => {
  itEarnsEachRule(loadProfile(defaultProfilePath(provider)), table);
});

describe.each(knownProviders())('the %s profile', (provider) => {
  const profile = loadProfile(defaultProfilePath(provider));
  it('names a source for every code and speaks both languages in every rule', () => {
    for (const entry of profile.codes) expect(profile.sources[entry.source], entry.code).toBeDefined();
    // A template that is only a check's own sentence ("{detail}") is Chinese through the check's prose.
    for (const rule of profile.rules) expect(rule.message.zh, rule.id).toMatch(/[\u4e00-\u9fff]|^\{[\w-]+\}$/);
  });
});
