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
    const text = d.text.slice(0, 64 * 1024);
    if (fewFieldEnds(text)) return null;
    const fields = [...text.matchAll(FORM_FIELD)].map((m) => m[0].trim());
    if (fields.length < FORM_FIELDS) return null;
    return {
      detail: { en: `the body asks the reader to fill in ${fields.length} personal fields (${fields.slice(0, 3).join(' ')} …) and send them back`, zh: `正文要求读者填写 ${fields.length} 项个人信息（${fields.slice(0, 3).join(' ')} …）并回传` },
      evidence: { fields: fields.slice(0, 10) },
    };
  },
};

export const textSignals: readonly ContentSignal[] = [fillInForm];
