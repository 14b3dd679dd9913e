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

export const fillInForm: ContentSignal = {
  id: 'fill-in-form',
  family: 'text',
  observe(d) {
    const fields = [...d.text.slice(0, 64 * 1024).matchAll(FORM_FIELD)].map((m) => m[0].trim());
    if (fields.length < FORM_FIELDS) return null;
    return {
      detail: { en: `the body asks the reader to fill in ${fields.length} personal fields (${fields.slice(0, 3).join(' ')} …) and send them back`, zh: `正文要求读者填写 ${fields.length} 项个人信息（${fields.slice(0, 3).join(' ')} …）并回传` },
      evidence: { fields: fields.slice(0, 10) },
    };
  },
};

export const textSignals: readonly ContentSignal[] = [fillInForm];
