/**
 * The tags and text of an HTML part, in document order, as the content signals need them:
 * start tags with their attributes, end tags (the ones HTML implies among them), and
 * decoded text. Entities are decoded by `entities` (the WHATWG tables htmlparser2 uses).
 *
 * Written by hand, on purpose: htmlparser2's Parser (which this follows — the same void
 * elements, the same implied end tags, the same raw-text elements, first attribute wins)
 * walks the markup a character at a time in JavaScript, and in a fresh `presend eml`
 * process over 1,000 corpus drafts it cost 250 ms of the 300 ms the whole content engine
 * may add (issue 24's 1.2 × budget). This scanner finds each `<` with indexOf and reads a
 * tag's name and attributes with sticky regular expressions, so V8 does the character
 * work. test/checks/content/html-tokens.test.ts holds it to htmlparser2's reading of every
 * HTML part in the SpamAssassin corpus.
 *
 * Every step moves forward: no pattern can backtrack past the tag it reads, so the scan is
 * linear in the size of the HTML.
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities/decode';

export interface HtmlTokenHandlers {
  /** A start tag: its name in lower case; its wanted attributes (names in lower case, first one wins, entities decoded). */
  onOpenTag(name: string, attributes: Readonly<Record<string, string>>): void;
  /** An element closed by its end tag or by what HTML implies (a void element at once, a `<p>` by a `<div>`). */
  onCloseTag(name: string): void;
  /** Text, entities decoded (in pieces: a run of text may come in more than one call). */
  onText(text: string): void;
}

const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Elements whose content is not markup: it runs to their own end tag. Title and textarea decode entities; the others do not. */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'title', 'textarea']);
const ESCAPABLE_RAW_TEXT = new Set(['title', 'textarea']);

const P = new Set(['p']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** A heading closes an open heading or paragraph. */
const HEADING_CLOSES = new Set([...HEADINGS, 'p']);
const FORM_CONTROLS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
const TABLE_SECTIONS = new Set(['thead', 'tbody']);
/** A start tag closes these while they are the current element (HTML's optional end tags, as htmlparser2 tabulates them). */
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ['p', P],
  ...[...HEADINGS].map((h) => [h, HEADING_CLOSES] as const),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, FORM_CONTROLS] as const),
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ...['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t) => [t, P] as const),
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTIONS],
  ['tfoot', TABLE_SECTIONS],
]);

/** A tag's name, after `<` or `</`. */
const TAG_NAME = /[a-zA-Z][^\t\n\f\r />]*/y;
/**
 * One step through a tag, as HTML's tokenizer reads it: white space and slashes, then the
 * tag's `>` (group 1) or an attribute — its name (2), and after `=` a value in double (3)
 * or single (4) quotes, a quote that never closes (5), or an unquoted value (6). Each step
 * can be read one way only, so the scan stays linear; a quote that never closes is the
 * HTML ending inside the tag.
 */
const TAG_STEP = /[\t\n\f\r /]*(?:(>)|([^\t\n\f\r />][^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|(["'])|([^\t\n\f\r >]*)))?)/y;
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

const decodeText = (text: string) => (text.includes('&') ? decodeHTML(text) : text);

interface TagRead {
  /** The wanted attributes: names in lower case, the first of a name wins, values decoded. */
  attributes: Readonly<Record<string, string>>;
  /** Just after the tag's `>`, or -1 when the HTML ends inside the tag (it is then no tag at all). */
  end: number;
}

/** A tag's attributes from `at` (just after its name) to its `>`. */
function readTag(html: string, at: number, wanted: ReadonlySet<string>): TagRead {
  let attributes: Record<string, string> | null = null;
  TAG_STEP.lastIndex = at;
  for (;;) {
    const m = TAG_STEP.exec(html);
    if (m === null || m[5] !== undefined) return { attributes: NO_ATTRIBUTES, end: -1 };
    if (m[1] !== undefined) return { attributes: attributes ?? NO_ATTRIBUTES, end: TAG_STEP.lastIndex };
    const name = m[2]!.toLowerCase();
    // Only the wanted ones: every other name would be one more shape of object for the handler to read.
    if (!wanted.has(name) || (attributes !== null && name in attributes)) continue;
    const value = m[3] ?? m[4] ?? m[6] ?? '';
    (attributes ??= {})[name] = value.includes('&') ? decodeHTMLAttribute(value) : value;
  }
}

const RAW_TEXT_END = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, 'gi')]));

/** Where the content of a raw-text element ends: its end tag (any case), or the end of the HTML. */
function rawTextEnd(html: string, from: number, name: string): number {
  const endTag = RAW_TEXT_END.get(name)!;
  endTag.lastIndex = from;
  const m = endTag.exec(html);
  return m ? m.index : html.length;
}

/** Reads `html` once, start to end, calling the handlers in document order with the `wanted` attributes of each start tag. */
export function tokenizeHtml(html: string, wanted: ReadonlySet<string>, handlers: HtmlTokenHandlers): void {
  // The open elements, innermost last, as the end-tag and implied-close rules need them.
  const open: string[] = [];
  const close = (down: number) => {
    while (open.length > down) handlers.onCloseTag(open.pop()!);
  };
  /** Opens an element (closing what it implies); returns where the text after it starts. */
  const startTag = (name: string, attributes: Readonly<Record<string, string>>, after: number): number => {
    // A second <form> inside one is ignored, as browsers do.
    if (name === 'form' && open.includes('form')) return after;
    const implied = OPEN_IMPLIES_CLOSE.get(name);
    if (implied) while (open.length > 0 && implied.has(open[open.length - 1]!)) handlers.onCloseTag(open.pop()!);
    handlers.onOpenTag(name, attributes);
    if (VOID.has(name)) handlers.onCloseTag(name);
    else open.push(name);
    if (!RAW_TEXT.has(name)) return after;
    const end = rawTextEnd(html, after, name);
    if (end > after) {
      const text = html.slice(after, end);
      handlers.onText(ESCAPABLE_RAW_TEXT.has(name) ? decodeText(text) : text);
    }
    return end;
  };
  const endTag = (name: string) => {
    const at = open.lastIndexOf(name);
    if (at >= 0) close(at);
    else if (name === 'p' || name === 'br') {
      // A </p> with no <p> open stands for an empty paragraph, and </br> for <br>.
      handlers.onOpenTag(name, NO_ATTRIBUTES);
      handlers.onCloseTag(name);
    }
  };
  let textStart = 0;
  const flushText = (to: number) => {
    if (to > textStart) handlers.onText(decodeText(html.slice(textStart, to)));
  };
  let i = 0;
  let textEnd = html.length;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const closing = html.charCodeAt(lt + 1) === 0x2f; /* / */
    TAG_NAME.lastIndex = closing ? lt + 2 : lt + 1;
    const tagName = TAG_NAME.exec(html);
    if (tagName !== null) {
      const tag = readTag(html, TAG_NAME.lastIndex, wanted);
      if (tag.end < 0) {
        textEnd = lt; // the HTML ends inside the tag: what is left is no text and no tag
        break;
      }
      flushText(lt);
      i = textStart = tag.end;
      const name = tagName[0].toLowerCase();
      if (closing) endTag(name);
      else i = textStart = startTag(name, tag.attributes, i);
      continue;
    }
    const next = html[lt + 1];
    if (next === '!' || next === '?' || next === '/') {
      // A comment, a doctype, a processing instruction, CDATA or a bogus end tag: none is text.
      const isComment = html.startsWith('<!--', lt);
      const end = isComment ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt + 2);
      flushText(lt);
      i = textStart = end < 0 ? html.length : end + (isComment ? 3 : 1);
    } else i = lt + 1; // a `<` that starts nothing is text
  }
  flushText(textEnd);
  close(0);
}
