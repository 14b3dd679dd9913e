/**
 * Header fingerprints of bulk-mail software: what a spam filter reads before the body.
 * Each signal names the SpamAssassin rule it follows in rules/content.yaml.
 */
import type { ContentSignal, DraftView } from './signal.js';

/** Outlook's own Message-ID shape: 4 hex, 8 hex of time, then two $-separated 8-hex parts. */
const OUTLOOK_MSGID = /^<[0-9a-f]{4}([0-9a-f]{8})\$[0-9a-f]{8}\$[0-9a-f]{8}@/;
/** Any $-separated hex Message-ID, the shape ratware copies from Outlook. */
const DOLLAR_MSGID = /<[0-9a-f]{4,}\$[0-9a-f]{4,}\$[0-9a-f]{4,}@\S+>/;
const MS_MIMEOLE = /^Produced By Microsoft MimeOLE/i;
const OUTLOOK_MAILER = /^Microsoft (?:Office )?Outlook\b/i;
const OE_MAILER = /\bOutlook Express [456]\./i;
/** Hotmail's and MSN's servers write their own Message-ID over Outlook Express's. */
const WEBMAIL_MSGID = /@(?:hotmail|msn)\.com>\s*$/i;

/** RFC 5322 §3.3's date as SpamAssassin's INVALID_DATE accepts it (obsolete zones and a trailing comment included). */
const RFC5322_DATE =
  /^\s*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?(?:[12]\d|3[01]|0?[1-9])\s+(?:Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec)\s+(?:19[7-9]\d|2\d{3})\s+(?:[01]?\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60))?(?:\s+[AP]M)?(?:\s+(?:[+-]\d{4}|UT|[A-Z]{2,3}T|0000 GMT|"GMT"))?(?:\s*\(.*\))?\s*$/i;

const excerpt = (value: string | undefined) => (value ?? '').slice(0, 120);

export const ratwareMessageId: ContentSignal = {
  id: 'msgid-ratware-hash',
  family: 'headers',
  headerField: 'message-id',
  observe(d) {
    const id = d.header('message-id');
    if (!id || !DOLLAR_MSGID.test(id) || MS_MIMEOLE.test(d.header('x-mimeole') ?? '')) return null;
    return {
      detail: { en: `the Message-ID ${excerpt(id)} has Outlook's $-separated shape, but no Microsoft MimeOLE header says Outlook wrote it`, zh: `Message-ID ${excerpt(id)} 是 Outlook 的 $ 分隔格式，却没有 Microsoft MimeOLE 信头表明由 Outlook 生成` },
      evidence: { messageId: excerpt(id) },
    };
  },
};

/** Outlook writes the time (a FILETIME's high bits) into its Message-ID: SpamAssassin's constants map it from Unix time. */
function outlookIdTime(unixSeconds: number): number {
  return Math.trunc(unixSeconds * 0.0023283064365387 + 27111902.8329849);
}

export const outlookMessageIdTime: ContentSignal = {
  id: 'msgid-outlook-time',
  family: 'headers',
  headerField: 'message-id',
  observe(d) {
    const id = d.header('message-id');
    const m = id ? OUTLOOK_MSGID.exec(id) : null;
    if (!m) return null;
    const date = Date.parse((d.header('date') ?? '').replace(/\s*\([^)]*\)\s*$/, ''));
    const expected = outlookIdTime(Number.isNaN(date) ? 0 : date / 1000);
    // SpamAssassin's allowance: 250 units, about 30 hours.
    if (Math.abs(parseInt(m[1]!, 16) - expected) < 250) return null;
    return {
      detail: { en: `the Outlook-style Message-ID ${excerpt(id)} carries a time that does not match the Date header: a program imitated Outlook`, zh: `Outlook 格式的 Message-ID ${excerpt(id)} 内含的时间与 Date 信头不符：是程序在模仿 Outlook` },
      evidence: { messageId: excerpt(id), date: excerpt(d.header('date')) },
    };
  },
};

/** The time zone offset of a date, when it is outside what any place uses (beyond ±14:00, or minutes past 59). */
function absurdZone(date: string): string | null {
  const zone = /\s([+-])(\d\d)(\d\d)(?:\s*\(.*\))?\s*$/.exec(date);
  if (!zone) return null;
  return Number(zone[2]) > 14 || Number(zone[3]) > 59 ? `${zone[1]}${zone[2]}${zone[3]}` : null;
}

export const invalidDate: ContentSignal = {
  id: 'date-invalid',
  family: 'headers',
  headerField: 'date',
  observe(d) {
    const date = d.header('date');
    if (date === undefined) return null;
    const zone = absurdZone(date);
    // RFC 5322 §3.3 requires the zone; SpamAssassin's pattern lets it go, mail programs never leave it out.
    const zoneless = !/(?:[+-]\d{4}|\b(?:UT|GMT|[A-Z]{1,5}))\s*(?:\(.*\))?\s*$/i.test(date.trim());
    if (RFC5322_DATE.test(date) && !zone && !zoneless) return null;
    return {
      detail: zone
        ? { en: `the Date header's time zone ${zone} is no place's offset`, zh: `Date 信头的时区 ${zone} 不是任何地区的时差` }
        : zoneless
          ? { en: `the Date header "${excerpt(date)}" has no time zone (RFC 5322 §3.3 requires one)`, zh: `Date 信头“${excerpt(date)}”没有时区（RFC 5322 §3.3 要求必须有）` }
          : { en: `the Date header "${excerpt(date)}" is not an RFC 5322 date`, zh: `Date 信头“${excerpt(date)}”不是 RFC 5322 日期` },
      evidence: { date: excerpt(date) },
    };
  },
};

/** Mail programs that write X-MSMail-Priority without being Outlook (SpamAssassin's MISSING_MIMEOLE exemptions). */
const MSMAIL_PRIORITY_WRITERS = /squirrelmail|office (?:12|14)|communigate/i;

export const msmailPriorityWithoutMimeole: ContentSignal = {
  id: 'msmail-priority-without-mimeole',
  family: 'headers',
  headerField: 'x-msmail-priority',
  observe(d) {
    const priority = d.header('x-msmail-priority');
    if (priority === undefined || d.header('x-mimeole') !== undefined || MSMAIL_PRIORITY_WRITERS.test(d.header('x-mailer') ?? '')) return null;
    if (d.header('dkim-signature') !== undefined) return null;
    return {
      detail: { en: 'X-MSMail-Priority (an Outlook header) without the X-MimeOLE header Outlook writes beside it', zh: '有 X-MSMail-Priority（Outlook 的信头），却没有 Outlook 同时写入的 X-MimeOLE 信头' },
      evidence: { 'x-msmail-priority': excerpt(priority) },
    };
  },
};

export const outlookWithoutDisplayName: ContentSignal = {
  id: 'outlook-no-display-name',
  family: 'headers',
  headerField: 'from',
  observe(d) {
    const mailer = d.header('x-mailer') ?? '';
    const from = d.message.from[0];
    if (!(OUTLOOK_MAILER.test(mailer) || OE_MAILER.test(mailer)) || !from || from.name.trim() !== '') return null;
    return {
      detail: { en: `the X-Mailer says Outlook ("${excerpt(mailer)}") but From has no display name, which Outlook always writes`, zh: `X-Mailer 表明是 Outlook（“${excerpt(mailer)}”），但 From 没有显示名，而 Outlook 总会写入显示名` },
      evidence: { xMailer: excerpt(mailer), from: from.address },
    };
  },
};

export const highPriority: ContentSignal = {
  id: 'x-priority-high',
  family: 'headers',
  headerField: 'x-priority',
  observe(d) {
    const priority = d.header('x-priority');
    if (priority === undefined || !/^\s*1\b/.test(priority)) return null;
    return {
      detail: { en: `X-Priority: ${excerpt(priority)} marks the mail urgent, as bulk mail does to stand out`, zh: `X-Priority: ${excerpt(priority)} 将邮件标为紧急，群发邮件常以此博取注意` },
      evidence: { 'x-priority': excerpt(priority) },
    };
  },
};

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export const freemailReplyTo: ContentSignal = {
  id: 'freemail-reply-to',
  family: 'headers',
  headerField: 'reply-to',
  observe(d) {
    const replyTo = d.message.replyTo[0]?.address;
    const from = d.message.from[0]?.address;
    if (!replyTo || !from || !replyTo.includes('@')) return null;
    const replyDomain = domainOf(replyTo);
    const fromDomain = domainOf(from);
    // As SpamAssassin's __freemail_hdr_replyto: a free mailbox for replies that is not the author's own address.
    if (!d.lists.freemail.has(replyDomain) || replyTo.toLowerCase() === from.toLowerCase() || replyDomain === fromDomain) return null;
    return {
      detail: { en: `replies go to a free mailbox (${replyTo}) while the mail is from ${fromDomain}: the answers leave the sender's organisation`, zh: `回复地址是免费邮箱（${replyTo}），而发件人属于 ${fromDomain}：回信将离开发件组织` },
      evidence: { replyTo, from },
    };
  },
};

/** Outlook never sends HTML alone, and Outlook Express writes its own Message-ID shape. */
export const forgedOutlook: ContentSignal = {
  id: 'forged-outlook',
  family: 'headers',
  headerField: 'x-mailer',
  observe(d) {
    const mailer = d.header('x-mailer') ?? '';
    const htmlOnly = d.message.format.hasHtmlPart && !d.message.format.hasTextPart;
    const id = d.header('message-id') ?? '';
    const why =
      mailer.trim() === 'Outlook'
        ? { en: 'an X-Mailer of just "Outlook", which no Outlook version writes', zh: 'X-Mailer 仅为“Outlook”，任何 Outlook 版本都不这样写' }
        : OUTLOOK_MAILER.test(mailer) && htmlOnly
          ? { en: `X-Mailer "${excerpt(mailer)}" with an HTML body and no text part, which Outlook never sends`, zh: `X-Mailer 为“${excerpt(mailer)}”，正文却只有 HTML 没有文本部分，Outlook 从不这样发送` }
          : OE_MAILER.test(mailer) && !/^<(?:[0-9a-f]{8}|[0-9a-f]{12})\$[0-9a-f]{8}\$[0-9a-f]{8}@/.test(id) && !WEBMAIL_MSGID.test(id)
            ? { en: `X-Mailer "${excerpt(mailer)}" with a Message-ID Outlook Express does not write (${excerpt(id)})`, zh: `X-Mailer 为“${excerpt(mailer)}”，Message-ID 却不是 Outlook Express 的格式（${excerpt(id)}）` }
            : null;
    if (!why) return null;
    return { detail: { en: `the mail claims to come from Outlook but does not look like it: ${why.en}`, zh: `邮件自称来自 Outlook，却与其特征不符：${why.zh}` }, evidence: { xMailer: excerpt(mailer), messageId: excerpt(id) } };
  },
};

export const subjectAllCaps: ContentSignal = {
  id: 'subject-all-caps',
  family: 'headers',
  headerField: 'subject',
  observe(d: DraftView) {
    const subject = d.message.subject.trim().replace(/^(?:(?:Re|Fwd|Fw|Aw|Antwort|WG|SV|VB|VS|VL):\s*)+/i, '');
    // As SpamAssassin's SUBJ_ALL_CAPS: not one word, not short, judged on its Latin letters.
    if (!/\s/.test(subject) || subject.length < 10) return null;
    const letters = subject.replace(/[^a-zA-Z]/g, '');
    if (letters.length === 0 || letters !== letters.toUpperCase()) return null;
    return {
      detail: { en: `the subject is in capitals ("${excerpt(subject)}")`, zh: `主题全部大写（“${excerpt(subject)}”）` },
      evidence: { subject: excerpt(subject) },
    };
  },
};

export const subjectPadding: ContentSignal = {
  id: 'subject-padding',
  family: 'headers',
  headerField: 'subject',
  observe(d) {
    // A run of spaces then a token at the end: a per-recipient tracking code pushed out of the visible subject.
    const m = /(\s{6,})(\S+)\s*$/.exec(d.message.subject);
    if (!m) return null;
    return {
      detail: { en: `the subject hides a token ("${excerpt(m[2])}") after ${m[1]!.length} spaces, the way bulk-mail software tracks each copy`, zh: `主题在 ${m[1]!.length} 个空格之后藏了一个标记（“${excerpt(m[2])}”），群发软件以此追踪每一份副本` },
      evidence: { subject: excerpt(d.message.subject) },
    };
  },
};

export const undisclosedRecipients: ContentSignal = {
  id: 'to-undisclosed',
  family: 'headers',
  headerField: 'to',
  observe(d) {
    const to = d.header('to');
    if (to === undefined || !/undisclosed|recipient list suppressed/i.test(to)) return null;
    return {
      detail: { en: `the To header names no recipient ("${excerpt(to)}"): every copy went as a blind copy`, zh: `To 信头没有写收件人（“${excerpt(to)}”）：每一份都是密送` },
      evidence: { to: excerpt(to) },
    };
  },
};

export const fromLocalDigits: ContentSignal = {
  id: 'from-local-digits',
  family: 'headers',
  headerField: 'from',
  observe(d) {
    const address = d.message.from[0]?.address ?? '';
    const local = address.slice(0, address.lastIndexOf('@'));
    // Digits inside letters (jane2093x) or a long run of them (offer58213): addresses made by a generator, not chosen by a person (ann2026 is a name and a year).
    if (!/[a-z]\d{3,}[a-z]|\d{5,}/i.test(local)) return null;
    return {
      detail: { en: `the From address ${address} has a run of digits in its name, as generated sender addresses do`, zh: `From 地址 ${address} 的用户名中夹有一串数字，像是程序生成的发件地址` },
      evidence: { from: address },
    };
  },
};

export const headerSignals: readonly ContentSignal[] = [
  subjectPadding,
  undisclosedRecipients,
  fromLocalDigits,
  ratwareMessageId,
  outlookMessageIdTime,
  invalidDate,
  msmailPriorityWithoutMimeole,
  outlookWithoutDisplayName,
  highPriority,
  freemailReplyTo,
  forgedOutlook,
  subjectAllCaps,
];
