/** What the words of the body ask of the reader. */
import type { ContentSignal } from './signal.js';

/**
 * A line that is a blank to fill in: a personal-data label ("Full Name:", "Phone:") followed by
 * nothing, underscores or dots. Five of them make a form (SpamAssassin's FILL_THIS_FORM counts
 * five such fields too); one reply quoting an address block does not.
 */
const FORM_FIELD =
  /^[ \t>*-]*(?:your |full |first |last |home |work |daytime |evening |mobile |cell |best |current |mailing |street |billing |e-?mail |postal |zip |bank )*(?:name|address|phone|telephone|fax|e-?mail|city|state|zip(?: code)?|postal code|country|age|sex|gender|occupation|date of birth|dob|amount|account(?: number)?|signature|time to call|comments?)[ \t]*:[ \t]*(?:_{2,}|\.{4,}|\[[ \t]*\])?[ \t]*$/gim;
const FORM_FIELDS = 5;
/** What every such line ends with: the far cheaper search, run first, that most bodies stop at. */
const FIELD_END = /:[ \t]*(?:_{2,}|\.{4,}|\[[ \t]*\])?[ \t]*$/gm;

function fewFieldEnds(text: string): boolean {
  FIELD_END.lastIndex = 0;
  for (let n = 0; n < FORM_FIELDS; n++) if (!FIELD_END.test(text)) return true;
  return false;
}

export const fillInForm: ContentSignal = {
  id: 'fill-in-form',
  family: 'text',
  observe(d) {
    if (fewFieldEnds(d.text)) return null;
    const fields = [...d.text.matchAll(FORM_FIELD)].map((m) => m[0].trim());
    if (fields.length < FORM_FIELDS) return null;
    return {
      detail: { en: `the body asks the reader to fill in ${fields.length} personal fields (${fields.slice(0, 3).join(' ')} …) and send them back`, zh: `正文要求读者填写 ${fields.length} 项个人信息（${fields.slice(0, 3).join(' ')} …）并回传` },
      evidence: { fields: fields.slice(0, 10) },
    };
  },
};

/** A quoted sample of what matched, for the evidence. */
const sample = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 80);

/**
 * The claims bulk mailers make that a reader asked for what they never asked for: "this is
 * not spam", "you are receiving this because", "to be removed, please". Each pattern is one of
 * SpamAssassin's (20_phrases.cf EXCUSE_4, EXCUSE_REMOVE, REMOVE_BEFORE_LINK; 72_active.cf
 * EXCUSE_24, NOT_SPAM): how the mail speaks of itself, not what it sells.
 */
const UNSOLICITED_CLAIMS = [
  /to be removed,? please/,
  /to be removed from.{0,20}(?:mailings|offers)/,
  /(?:no thanks|not interested|unsubscribe here).{0,5}https?:\/\//,
  /you(?:'ve|'re| have| are)? receiv(?:e|ed|ing) this (?:advertisement|offer|special|recurring|paid).{0,16}\b(?:by either|because)/,
  /\b(?:(?:this (?:e?-?mail|message)|we) (?:is not|are not|cannot be considered) spam|este correo no puede ser considerado (?:intrusivo|spam)|diese nachricht ist kein spam)/,
];
/** The five as one pattern: one pass over the body instead of five. */
const UNSOLICITED_CLAIM = new RegExp(UNSOLICITED_CLAIMS.map((p) => `(?:${p.source})`).join('|'), 'i');

export const unsolicitedClaim: ContentSignal = {
  id: 'unsolicited-claim',
  family: 'text',
  observe(d) {
    const m = UNSOLICITED_CLAIM.exec(d.text);
    if (!m) return null;
    return {
      detail: { en: `the body argues it is not unsolicited ("${sample(m[0])}"), as bulk mail nobody asked for does`, zh: `正文声称自己并非未经请求的邮件（“${sample(m[0])}”），这正是无人订阅的群发邮件的说法` },
      evidence: { claim: sample(m[0]) },
    };
  },
};

/** A greeting for anyone at all (SpamAssassin DEAR_FRIEND and DEAR_SOMETHING, 20_phrases.cf): the sender does not know whom it writes to. */
const GENERIC_GREETING = /^[ \t]*Dear Friend\b|\bDear (?:IT\W|Internet|candidate|sirs?|madam|investor|travell?er|car shopper|web)\b/im;
/** A greeting opens the mail: its first 4 KB hold it. */
const GREETING_WINDOW = 4 * 1024;

export const genericGreeting: ContentSignal = {
  id: 'generic-greeting',
  family: 'text',
  observe(d) {
    const m = GENERIC_GREETING.exec(d.text.slice(0, GREETING_WINDOW));
    if (!m) return null;
    return {
      detail: { en: `the greeting names nobody ("${sample(m[0])}")`, zh: `问候语没有称呼具体的人（“${sample(m[0])}”）` },
      evidence: { greeting: sample(m[0]) },
    };
  },
};

/** At least this many letters before a body's share of capitals means anything (a signature line in capitals is not shouting). */
const MIN_LETTERS = 200;
/** SpamAssassin UPPERCASE_50_75 starts at half (72_active.cf, check_for_uppercase). */
const SHOUTING_SHARE = 0.5;
/** A body that shouts does so from its start: its first 8 KB are judged. */
const SHOUTING_SAMPLE = 8 * 1024;
/** Half a body in capitals holds words in capitals: without five capitals in a row there is nothing to count. */
const CAPITALS_RUN = /[A-Z]{5}/;

export const bodyShouting: ContentSignal = {
  id: 'body-uppercase',
  family: 'text',
  observe(d) {
    const text = d.text.slice(0, SHOUTING_SAMPLE);
    if (!CAPITALS_RUN.test(text)) return null;
    const letters = text.replace(/[^A-Za-z]+/g, '');
    if (letters.length < MIN_LETTERS) return null;
    const capitals = letters.replace(/[^A-Z]+/g, '').length;
    const share = capitals / letters.length;
    if (share < SHOUTING_SHARE) return null;
    const percent = Math.round(share * 100);
    return {
      detail: { en: `${percent} % of the body's letters are capitals: it shouts`, zh: `正文字母中 ${percent}% 为大写：像是在喊叫` },
      evidence: { capitalsPercent: percent, letters: letters.length },
    };
  },
};

export const textSignals: readonly ContentSignal[] = [fillInForm, unsolicitedClaim, genericGreeting, bodyShouting];
