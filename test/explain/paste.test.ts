/**
 * `explain` on bounces as people paste them: each line written here in the shape its
 * wrapper really prints (Java, Spring, Python with bytes literals, postfix, nodemailer,
 * PHPMailer, Laravel/Symfony, .NET in Chinese, Go, msmtp, nullmailer, a DSN). Each row
 * names the token, the status that must be read (null: the paste holds none), and the
 * side when the line names the host.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/explain/explain.js';
import { plainPaste, statusBefore } from '../../src/explain/paste.js';
import { loadProfile } from '../../src/profile/load.js';

const profile = loadProfile();

type Row = [wrapper: string, paste: string, token: string, status: string | null, side: 'submission' | 'mx' | 'enterprise' | null];

const rows: Row[] = [
  ['Java SMTPSendFailedException', 'com.sun.mail.smtp.SMTPSendFailedException: 554 DT:SPM 163 smtp9,DcCowAD3XkffVJ1ZcxWrFQ--.5037S2 1503483104,please see http://mail.163.com/help/help_spam_16.htm?ip=203.0.113.5&hostid=smtp9&time=1503483104', 'DT:SPM', '554', 'submission'],
  ['Spring MailSendException over several lines', 'org.springframework.mail.MailSendException: Failed messages: org.eclipse.angus.mail.smtp.SMTPSendFailedException: 553 Mail from must equal authorized user\n;\n  nested exception is:\n\torg.eclipse.angus.mail.smtp.SMTPSenderFailedException: 553 Mail from must equal authorized user', 'Mail from must equal authorized user', '553', 'submission'],
  ['Spring in a Javadoc comment', ' * org.springframework.mail.MailSendException: Failed messages:\n * com.sun.mail.smtp.SMTPSendFailedException: 554 DT:SPM 126 smtp7,DsmowAB 1564271411,please see http://mail.163.com/help/help_spam_16.htm', 'DT:SPM', '554', 'submission'],
  ['Python SMTPDataError with bytes', "smtplib.SMTPDataError: (554, b'DT:SPM 163 smtp12,EMCowACnzwc_BjhcKMZmAQ--.20404S2 1547175487,please see http://mail.163.com/help/help_spam_16.htm?ip=218.94.104.2&hostid=smtp12&time=1547175487')", 'DT:SPM', '554', 'submission'],
  ['Python 2 SMTPDataError with str', "SMTPDataError: (554, 'DT:SPM 126 smtp10,NuRpCgC3LP0tp3VdPt4LMQ--.5577S2 1567991603,please see http://mail.163.com/help/help_spam_16.htm?ip=118.26.161.186&hostid=smtp10&time=1567991603')", 'DT:SPM', '554', 'submission'],
  ['Python SMTPAuthenticationError', "smtplib.SMTPAuthenticationError: (550, b'User has no permission')", 'User has no permission', '550', 'submission'],
  ['Python SMTPSenderRefused', "smtplib.SMTPSenderRefused: (553, b'Mail from must equal authorized user', 'noreply@example.com')", 'Mail from must equal authorized user', '553', 'submission'],
  ['Python bytes with GBK escapes', "smtplib.SMTPDataError: (554, b'DT:SPM 163 smtp3,\\xb7\\xa2\\xcb\\xcd\\xb5\\xc4\\xd3\\xca\\xbc\\xfe 1566221632')", 'DT:SPM', '554', 'submission'],
  ['Python SMTPRecipientsRefused dict', "smtplib.SMTPRecipientsRefused: {'nobody@163.com': (550, b'Invalid User')}", 'Invalid User', '550', null],
  ['postfix deferred at the MX', 'Dec 29 02:54:09 mail postfix/smtp[7648]: 732BB407C3: to=<a@163.com>, relay=163mx01.mxmail.netease.com[220.181.14.161]:25, delay=1.2, status=deferred (host 163mx01.mxmail.netease.com[220.181.14.161] said: 451 DT:SPM 163 mx13,QMCowAD3_0Ep 1577559249, please try again (in reply to end of DATA command))', 'DT:SPM', '451', 'mx'],
  ['postfix bounced for SPF', 'Mar  2 10:00:01 mx postfix/smtp[311]: 4F2A1: to=<b@126.com>, relay=126mx00.mxmail.netease.com[123.58.177.132]:25, status=bounced (host 126mx00.mxmail.netease.com[123.58.177.132] said: 550 MI:SPF 126 mx14,M8CowAD 1577559249 (in reply to end of DATA command))', 'MI:SPF', '550', 'mx'],
  ['nodemailer Message failed', 'Error: Message failed: 554 DT:SPM 126 smtp2,DMmowAAnNDQz4zxdCk6LIw--.52838S2 1564271411,please see http://mail.163.com/help/help_spam_16.htm?ip=219.143.176.2&hostid=smtp2&time=1564271411', 'DT:SPM', '554', 'submission'],
  ['nodemailer Mail command failed', 'Error: Mail command failed: 553 Local user only,163 smtp5,HdxpCgA3f+63sTNhtiNZDA--.2001S2 1630777785', 'Local user only', '553', 'submission'],
  ['nodemailer Invalid login', "Error: Invalid login: 535 Error: authentication failed\n    at SMTPConnection._formatError (/app/node_modules/nodemailer/lib/smtp-connection/index.js:605:19) {\n  code: 'EAUTH',\n  response: '535 Error: authentication failed',\n  responseCode: 535,\n  command: 'AUTH LOGIN'\n}", 'authentication failed', '535', 'submission'],
  ['nodemailer error object, response only', "{ code: 'EENVELOPE', response: 'DT:SPM 163 smtp14,EsCowAC3 1503483104', responseCode: 554, command: 'DATA' }", 'DT:SPM', '554', 'submission'],
  ['PHPMailer DATA END', 'SMTP ERROR: DATA END command failed: 554 DT:SPM 163 smtp11,D8CowADHr8a5 1577559249,please see http://mail.163.com/help/help_spam_16.htm', 'DT:SPM', '554', 'submission'],
  ['PHPMailer debug output', '2026-03-02 10:00:00 SERVER -> CLIENT: 550 User has no permission', 'User has no permission', '550', 'submission'],
  ['Laravel / Symfony', 'Expected response code "250" but got code "554", with message "554 DT:SPM 163 smtp7,C8CowACn 1566221632,please see http://mail.163.com/help/help_spam_16.htm".', 'DT:SPM', '554', 'submission'],
  ['Laravel, status only in the wrapper', 'Expected response code "250/251/252" but got code "553", with message "Mail from must equal authorized user".', 'Mail from must equal authorized user', '553', 'submission'],
  ['.NET in Chinese, status in words', '邮箱不可用。 服务器响应为:DT:SPM 163 smtp3,DcCowAB 1566221632', 'DT:SPM', '550', 'submission'],
  ['.NET in English', 'System.Net.Mail.SmtpException: Transaction failed. The server response was: DT:SPM 163 smtp14,EsCowAC3 1503483104', 'DT:SPM', '554', 'submission'],
  ['Go net/smtp', 'send mail: 554 DT:SPM 163 smtp10,DsCowAA3D+JApVpd78gMKg--.16104S2 1566221632', 'DT:SPM', '554', 'submission'],
  ['msmtp', 'msmtp: server message: 554 DT:SPM 163 smtp12,EMCowAC 1547175487\nmsmtp: could not send mail (account default from /etc/msmtprc)', 'DT:SPM', '554', 'submission'],
  ['nullmailer', 'smtp: Failed: 554 DT:SPM 126 smtp3,DMmowA 1564271411', 'DT:SPM', '554', 'submission'],
  ['DSN Diagnostic-Code', 'Action: failed\nStatus: 5.0.0\nRemote-MTA: dns; 163mx02.mxmail.netease.com\nDiagnostic-Code: smtp; 550 MI:DMA 163 mx2,G8CowAD 1577559249', 'MI:DMA', '550', 'mx'],
  ['sendmail-style with enhanced status', '<a@163.com>... Deferred: 451 4.7.1 DT:SPM 163 mx5,QMCowAD3 1577559249, please try again', 'DT:SPM', '451', 'mx'],
  ['a bare token', 'DT:SPM', 'DT:SPM', null, null],
  ['a token and host, no status', 'DT:SPM 163 smtp9,DcCowAD3 1503483104', 'DT:SPM', null, 'submission'],
  ['the seed auth-limit reply', '554 IP is rejected, smtp auth error limit exceed 163 smtp4', 'smtp auth error limit exceed', '554', 'submission'],
  ['too much fail authentication', "smtplib.SMTPAuthenticationError: (451, b'Requested mail action not taken: too much fail authentication')", 'too much fail authentication', '451', 'submission'],
  ['authentication is required', 'SMTPSenderRefused: (553, b\'authentication is required,163 smtp8,DMCowAD 1597913181\', \'a@163.com\')', 'authentication is required', '553', 'submission'],
  ['MI:STC messages per day', 'Error: Message failed: 554 MI:STC 163 smtp1,C9CowAB 1597913181', 'MI:STC', '554', 'submission'],
  ['RP:TRC recipients per day, at the MX', 'host 163mx03.mxmail.netease.com said: 550 RP:TRC 163 mx3,QMCowAD 1577559249', 'RP:TRC', '550', 'mx'],
  ['554 RP:TRC, the other status of the token', 'Error: Message failed: 554 RP:TRC 163 smtp3,DMmowAB 1564271411', 'RP:TRC', '554', 'submission'],
  ['a locked account', "smtplib.SMTPSenderRefused: (550, b'User is locked', 'me@163.com')", 'User is locked', '550', 'submission'],
  ['an unknown user on the submission server', 'com.sun.mail.smtp.SMTPSendFailedException: 550 User not found', 'User not found', '550', 'submission'],
  ['enterprise mail', 'SMTPSendFailedException: 554 DT:SPM qiye.163.com smtp2,EcCowAD 1577559249', 'DT:SPM', '554', 'enterprise'],
];

describe('explain reads real pastes: the token, the status, the side', () => {
  it.each(rows)('%s', (_wrapper, paste, token, status, side) => {
    const e = explain(paste, profile, 'en');
    expect(e.known).toBe(true);
    expect(e.token).toBe(token);
    expect(e.status).toBe(status);
    expect(e.side).toBe(side);
  });

  it('the figure: every row right on token and status, none a wrong token', () => {
    const right = rows.filter(([, paste, token, status]) => {
      const e = explain(paste, profile, 'en');
      return e.token === token && e.status === status;
    });
    const wrongToken = rows.filter(([, paste, token]) => explain(paste, profile, 'en').token !== token);
    expect(right.length / rows.length).toBeGreaterThanOrEqual(0.95);
    expect(wrongToken).toEqual([]);
  });
});

describe('a status that cannot be read is never guessed', () => {
  it('a token with several statuses lists them instead of picking the temporary one', () => {
    const e = explain('DT:SPM 163 smtp9,DcCowAD3 1503483104', profile, 'en');
    expect(e.code).toBeNull();
    expect(e.statuses.map((s) => s.code)).toEqual(expect.arrayContaining(['451 DT:SPM', '550 DT:SPM', '554 DT:SPM']));
    expect(e.statuses.find((s) => s.code === '451 DT:SPM')?.temporary).toBe(true);
  });

  it('a real 554 is never explained as the temporary 451', () => {
    const e = explain("(554, b'DT:SPM 163 smtp9,x')", profile, 'en');
    expect(e).toMatchObject({ code: '554 DT:SPM', status: '554', exactStatus: true });
    expect(e.remedy).not.toMatch(/two minutes/);
  });

  it('a submission-side DT:SPM speaks of the account, not PTR or HELO', () => {
    const e = explain('554 DT:SPM 163 smtp9,x', profile, 'en');
    expect(e.likelyCause).toMatch(/submission server/);
    expect(e.predictedBy.map((r) => r.rule)).not.toContain('ptr-forward-confirmed');
    expect(e.predictedBy.map((r) => r.rule)).toContain('submission-test-subject');
    const mx = explain('554 DT:SPM 163 mx9,x', profile, 'en');
    expect(mx.predictedBy.map((r) => r.rule)).toContain('ptr-forward-confirmed');
    expect(mx.predictedBy.map((r) => r.rule)).not.toContain('submission-test-subject');
  });
});

describe('the paste reader', () => {
  it.each([
    ['comment prefixes and escaped line ends', ' * first\\r\\n * second', 'first second'],
    ['GBK escapes in a bytes literal', "b'\\xb7\\xa2\\xcb\\xcd'", "b'发送'"],
    ['UTF-8 escapes', "b'\\xe6\\xb5\\x8b\\xe8\\xaf\\x95'", "b'测试'"],
  ])('%s', (_n, input, output) => expect(plainPaste(input)).toBe(output));

  it.each([
    ['right before the token', '554 DT:SPM', 4, '554'],
    ['a Python tuple', "(554, b'DT:SPM", 9, '554'],
    ['an enhanced code between', '451 4.7.1 DT:SPM', 10, '451'],
    ['not an IP or a timestamp before', 'ip=203.0.113.250 DT:SPM', 17, null],
  ])('status %s', (_n, text, at, status) => expect(statusBefore(text, at).status).toBe(status));
});
