/**
 * `explain` against every profile presend ships: real reply lines of each provider, in
 * the shapes they arrive in (a Postfix log, a multi-line reply, an exception, a DSN
 * Diagnostic-Code), each named with the right provider, code and status; a reply no
 * catalogue knows lists the providers it could be from.
 */
import { describe, expect, it } from 'vitest';
import { explainAcross } from '../../src/explain/explain.js';
import { loadProfile } from '../../src/profile/load.js';
import { knownProviders, profilePathsFor } from '../../src/profile/providers.js';
import { presend } from '../helpers/cli.js';

const profiles = profilePathsFor('all').map((path) => loadProfile(path));

const replies: [shape: string, paste: string, provider: string, code: string, status: string][] = [
  ['NetEase MX, Postfix log', 'said: 550 MI:SPF 163 mx14,QsCowAD3VPSBiFhgqnPVBQ--.11947S2 1612217732,please see http://mail.163.com/help/help_spam_16.htm?ip=203.0.113.5 (in reply to RCPT TO command)', 'netease', '550 MI:SPF', '550'],
  ['NetEase submission, Python exception', "smtplib.SMTPDataError: (554, b'DT:SPM 163 smtp12,EMCowACnzwc_BjhcKMZmAQ--.20404S2 1547175487')", 'netease', '554 DT:SPM', '554'],
  ['NetEase DMARC, bare line', '550 MI:DMA', 'netease', '550 MI:DMA', '550'],
  [
    'Gmail 5.7.26 unauthenticated, multi-line with gsmtp',
    '550-5.7.26 This mail is unauthenticated, which poses a security risk to the 550-5.7.26 sender and Gmail users, and has been blocked. The sender must 550-5.7.26 authenticate with at least one of SPF or DKIM. 550 5.7.26 https://support.google.com/mail/answer/81126#authentication y17si31054240plg.103 - gsmtp',
    'gmail',
    '550 5.7.26 This email has been blocked because the sender is unauthenticated.',
    '550',
  ],
  ['Gmail 5.7.25 PTR, Postfix log', 'host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.7.25 [203.0.113.5] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. - gsmtp (in reply to end of DATA command)', 'gmail', "550 5.7.25 This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address.", '550'],
  ['Gmail DMARC, DSN Diagnostic-Code', "Diagnostic-Code: smtp; 550-5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy. Please contact the administrator of shop.example domain. - gsmtp", 'gmail', "550 5.7.26 Unauthenticated email from [domain-name] is not accepted due to domain's DMARC policy.", '550'],
  ['Gmail attachment, nodemailer error', 'Error: Message failed: 552-5.7.0 This message was blocked because its content presents a potential 552-5.7.0 security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review our 552 5.7.0 message content and attachment content guidelines. d2si1.1 - gsmtp', 'gmail', '552 5.7.0 This message was blocked because its content presents a potential security issue.', '552'],
  ['Gmail login, PHPMailer', 'SMTP ERROR: Password command failed: 535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8 https://support.google.com/mail/?p=BadCredentials - gsmtp', 'gmail', '535 5.7.80 Username and Password not accepted.', '535'],
  ['Gmail rate limit, temporary', '421-4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily blocked. - gsmtp', 'gmail', '421 4.7.28 Gmail has detected an unusual amount of unsolicited email originating from your IP address.', '421'],
  ['Outlook.com S3150, Postfix log', "host eur.olc.protection.outlook.com[104.47.1.33] said: 550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [DB3EUR04FT007.eop-eur04.prod.protection.outlook.com] (in reply to MAIL FROM command)", 'outlook', "550 5.7.1 Unfortunately, messages from [IP] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", '550'],
  ['Outlook.com high-volume authentication, DSN', 'Diagnostic-Code: smtp; 550 5.7.515 Access denied, sending domain shop.example does not meet the required authentication level. [AM4PEPF00027A5E.eurprd04.prod.outlook.com]', 'outlook', '550 5.7.515 Access denied, sending domain [SendingDomain] does not meet the required authentication level.', '550'],
  ['Outlook.com DMARC, nodemailer', 'Error: Message failed: 550 5.7.509 Access denied, sending domain SHOP.EXAMPLE does not pass DMARC verification and has a DMARC policy of reject. [BN1PEPF0000468D.namprd05.prod.outlook.com]', 'outlook', '550 5.7.509 Access denied, sending domain [SendingDomain] does not pass DMARC verification and has a DMARC policy of reject.', '550'],
  ['Outlook.com SC-001, Postfix log', "host mx4.hotmail.com[65.55.92.152] said: 550 SC-001 (BAY004-MC4F49) Unfortunately, messages from 203.0.113.5 weren't sent. Please contact your Internet service provider since part of their network is on our block list. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. (in reply to MAIL FROM command)", 'outlook', '550 SC-001', '550'],
  ['Outlook.com RP-001, deferred', "421 RP-001 (BAY004-MC1F12) Unfortunately, some messages from 203.0.113.5 weren't sent. Please try again. We have limits for how many messages can be sent per hour and per day. You can also refer to http://mail.live.com/mail/troubleshooting.aspx#errors.", 'outlook', '421 RP-001', '421'],
  ['Outlook.com DY-001, DSN', "Diagnostic-Code: smtp; 550 DY-001 (SNT004-MC2F9) Unfortunately, messages from 203.0.113.5 weren't sent. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP e-mail to an Internet mail server. http://www.spamhaus.org maintains lists of dynamic and residential IP addresses.", 'outlook', '550 DY-001', '550'],
  ['Outlook.com Sender ID, bare line', '550 command rejected due to Sender ID validation failure.', 'outlook', '550 command rejected due to Sender ID validation failure.', '550'],
  ['Outlook.com busy under a 451, marked only by its S-code: its enhanced status tells it from Gmail\'s "Server busy"', '451 4.7.500 Server busy. Please try again later from [40.107.20.50]. (S77714) [Name=Protocol Filter Agent] [AGT=PFA]', 'outlook', '451 Server busy. Please try again later from', '451'],
  ['Yahoo RFC compliance, Postfix log', 'host mta6.am0.yahoodns.net[67.195.228.110] said: 554 Message not allowed - Headers are not RFC compliant[291] (in reply to end of DATA command)', 'yahoo', '554 Message not allowed - Headers are not RFC compliant[291]', '554'],
  ['AOL mailbox disabled, qmail', 'Remote host said: 554 30 Sorry, your message to user@aol.com cannot be delivered. This mailbox is disabled (554.30)', 'yahoo', '554 30 Sorry, your message to [address] cannot be delivered. This mailbox is disabled (554.30)', '554'],
  ['QQ Mail deactivated mailbox, Postfix log', 'host mx3.qq.com[203.205.219.57] said: 551 <zhang.wei@qq.com> is a deactivated mailbox (in reply to RCPT TO command)', 'qq', '551 [address] is a deactivated mailbox', '551'],
  ['Yahoo TSS04, Postfix log', 'host mta7.am0.yahoodns.net[67.195.204.72] said: 421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)', 'yahoo', '421 4.7.0 [TSS04] Messages from [IP] temporarily deferred due to unexpected volume or user complaints', '421'],
  ['Yahoo unauthenticated', '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.', 'yahoo', '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.', '550'],
  ['Yahoo Spamhaus BL21', "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.5, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html", 'yahoo', "553 5.7.1 [BL21] Connections will not be accepted from [IP], because the ip is in Spamhaus's list", '553'],
  ['QQ Mail content, Python exception', "smtplib.SMTPDataError: (550, b'Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726')", 'qq', '550 Mail content denied', '550'],
  ['QQ Mail IP frequency, Postfix log', 'host mx3.qq.com[203.205.219.57] said: 550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725 (in reply to RCPT TO command)', 'qq', '550 Ip frequency limited', '550'],
  ['QQ Mail unknown user', 'host mx1.qq.com[162.62.115.236] said: 550 Mailbox not found. http://service.mail.qq.com/detail/122/169 (in reply to RCPT TO command)', 'qq', '550 Mailbox not found', '550'],
  ['Gmail STARTTLS, nodemailer', 'Error: Mail command failed: 530-5.7.0 Must issue a STARTTLS command first. For more information, go to 530 5.7.0  https://support.google.com/a/answer/3221692 a1-20020a17 - gsmtp', 'gmail', '530 5.7.0 Must issue a STARTTLS command first.', '530'],
  ['Microsoft 365 SMTP AUTH off, nodemailer', 'Error: Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0054.namprd05.prod.outlook.com]', 'outlook', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', '535'],
  ['Microsoft 365 Send As, Java', 'com.sun.mail.smtp.SMTPSendFailedException: 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message. [Hostname=AM0PR04MB4433.eurprd04.prod.outlook.com]', 'outlook', '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.', '554'],
  ['Gmail PTR, cut short: told by its status and enhanced status', "550-5.7.25 [203.0.113.5] This message was blocked because the sending IP address doesn't have a PTR record - gsmtp", 'gmail', "550 5.7.25 This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address.", '550'],
  ['Gmail unknown user', '550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient\'s email address for typos or unnecessary spaces. - gsmtp', 'gmail', '550 5.1.1 The email account that you tried to reach does not exist.', '550'],
];

describe('explain names the provider of a reply', () => {
  it('ships more than one profile, NetEase first', () => {
    expect(knownProviders()[0]).toBe('netease');
    expect(knownProviders()).toEqual(['netease', 'gmail', 'outlook', 'qq', 'yahoo']);
  });

  it.each(replies)('%s', (_shape, paste, provider, code, status) => {
    const e = explainAcross(paste, profiles, 'en');
    expect(e).toMatchObject({ known: true, provider, code, status });
    expect(e.providerBy).not.toBe('unknown');
  });

  it('all of the table: right provider, code and status (≥ 95 %)', () => {
    const right = replies.filter(([, paste, provider, code, status]) => {
      const e = explainAcross(paste, profiles, 'en');
      return e.provider === provider && e.code === code && e.status === status;
    }).length;
    expect(right / replies.length).toBeGreaterThanOrEqual(0.95);
  });

  it('a reply of unknown origin lists the providers it could be from', () => {
    const e = explainAcross('550 5.7.99 Something nobody documents', profiles, 'en');
    expect(e).toMatchObject({ known: false, provider: 'unknown', providerBy: 'unknown' });
    expect(e.otherProviders).toEqual(expect.arrayContaining(['netease', 'gmail', 'outlook', 'qq', 'yahoo']));
  });

  it.each([
    ['an Exchange Online block no catalogue holds, marked by its host', '550 5.7.1 Service unavailable, Client host [203.0.113.5] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.5 (AS3130). [BN8NAM12FT021.eop-nam12.prod.protection.outlook.com]', 'outlook', '550', '5.7.1'],
    ['a relay refusal in a Postfix log', 'host mx.example.org[192.0.2.8] said: 554 5.7.1 <x@example.org>: Relay access denied (in reply to RCPT TO command)', 'unknown', '554', '5.7.1'],
    ['a reply with a status and no enhanced status', '421 Too many concurrent SMTP connections from this IP address; please try again later', 'unknown', '421', null],
  ])('a reply no catalogue knows still has its status read: %s', (_n, paste, provider, status, enhancedStatus) => {
    expect(explainAcross(paste, profiles, 'en')).toMatchObject({ known: false, provider, status, enhancedStatus });
  });

  it('the CLI says which provider and why, in either language', async () => {
    const en = await presend(['explain', replies[4]![1]]);
    expect(en.stdout).toContain("Provider: Gmail (from the reply's own marks)");
    const zh = await presend(['explain', '--lang', 'zh', replies[4]![1]]);
    expect(zh.stdout).toContain('服务商: Gmail (依据回复中的标记)');
    const json = JSON.parse((await presend(['explain', '--format', 'json', replies[0]![1]])).stdout) as { explanation: { provider: string; providerBy: string } };
    expect(json.explanation).toMatchObject({ provider: 'netease', providerBy: 'marks' });
  });
});
