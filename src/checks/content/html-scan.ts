/**
 * One pass over a draft's HTML part (html-tokens.ts reads it; no DOM is built): the links
 * with their text, the active elements, the largest font, the text a reader cannot see,
 * and how much text a reader can. Every list and the element stack are bounded.
 */
import { tokenizeHtml } from './html-tokens.js';

export interface HtmlAnchor {
  href: string;
  /** The visible text inside the link, whitespace collapsed, cut to 200 characters. */
  text: string;
}

export interface HtmlScan {
  anchors: HtmlAnchor[];
  /** Other addresses the HTML loads or sends to: image sources, form actions, image-map areas. */
  resources: string[];
  /** Addresses written as text (not as links), visible or not. */
  textUrls: string[];
  /** Elements that run, embed or submit: script, iframe, frame, object, embed, applet, form. */
  active: Record<string, number>;
  images: number;
  /** The largest font asked for, in CSS pixels (font size 7 is 48 px). */
  largestFontPx: number;
  /** Non-space characters a reader sees. */
  visibleChars: number;
  /** Non-space characters hidden from a reader (display:none, zero or tiny fonts, text the colour of its background). */
  hiddenChars: number;
  /** What hid the first hidden text, and a sample of it. */
  hiddenBy?: string;
  hiddenSample?: string;
  hasHtmlTag: boolean;
  /** The text as a reader would have it, line breaks where blocks end (cut to MAX_TEXT characters). */
  text: string;
}

/** An address written as text (http, https, ftp; an IPv6 literal host too), up to the first character a URL cannot hold. */
export const TEXT_URL = /\b(?:https?|ftp):\/\/(?:\[[0-9a-f:.]+\])?[^\s<>"'()[\]{}]*/gi;

const MAX_ANCHORS = 500;
/** The attributes the scan below reads. */
const READ_ATTRIBUTES: ReadonlySet<string> = new Set(['href', 'src', 'action', 'style', 'size', 'color', 'bgcolor', 'hidden']);
const MAX_DEPTH = 256;
/** The text a scan keeps, and the content signals read of any draft. */
export const MAX_TEXT = 64 * 1024;
/** Elements whose end (or, for br, whose start) ends a line of text. */
const LINE_ENDS = new Set(['br', 'p', 'tr', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const ACTIVE = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'applet', 'form']);
/** Elements whose text is never shown. */
const UNSHOWN = new Set(['script', 'style', 'head', 'title', 'noscript', 'template']);
/** <font size=N> in CSS pixels (HTML's legacy sizes 1–7). */
const FONT_SIZE_PX = [0, 10, 13, 16, 18, 24, 32, 48];
/** A font this small or smaller reads as no text at all (rspamd's ZERO_FONT counts below 1 px; 2 px is no more legible). */
const TINY_FONT_PX = 2;

const NAMED_COLOURS: Record<string, string> = {
  white: 'ffffff', black: '000000', red: 'ff0000', green: '008000', blue: '0000ff', yellow: 'ffff00',
  gray: '808080', grey: '808080', silver: 'c0c0c0', navy: '000080', maroon: '800000', lime: '00ff00',
  aqua: '00ffff', fuchsia: 'ff00ff', purple: '800080', teal: '008080', olive: '808000', orange: 'ffa500',
  whitesmoke: 'f5f5f5', snow: 'fffafa', ivory: 'fffff0', linen: 'faf0e6', ghostwhite: 'f8f8ff',
};

/** A CSS or HTML colour as [r, g, b], or null for what is not a plain colour (transparent, inherit, a gradient). */
export function parseColour(value: string | undefined): [number, number, number] | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  const named = NAMED_COLOURS[v];
  let hex = named ?? /^#?([0-9a-f]{6}|[0-9a-f]{3})$/.exec(v)?.[1];
  if (hex) {
    if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
    return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
  }
  const rgb = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(v);
  if (rgb && (rgb[4] === undefined || Number(rgb[4]) > 0.5)) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return null;
}

/** Colours a reader cannot tell apart: every channel within 12 of the other's (SpamAssassin's HTML_FONT_LOW_CONTRAST judges by a similar distance). */
function indistinct(a: [number, number, number], b: [number, number, number]): boolean {
  return Math.abs(a[0] - b[0]) <= 12 && Math.abs(a[1] - b[1]) <= 12 && Math.abs(a[2] - b[2]) <= 12;
}

const NO_DECLARATIONS: ReadonlyMap<string, string> = new Map();

/** A CSS declaration list as a map (lower-case names), the last value winning. */
function declarations(style: string | undefined): ReadonlyMap<string, string> {
  if (!style) return NO_DECLARATIONS;
  const out = new Map<string, string>();
  for (const part of style.slice(0, 2000).split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0) out.set(part.slice(0, colon).trim().toLowerCase(), part.slice(colon + 1).replace(/!important/i, '').trim().toLowerCase());
  }
  return out;
}

/** A CSS font-size in pixels, or null for relative sizes this scan does not resolve. */
function cssFontPx(value: string | undefined): number | null {
  const m = value ? /^(\d+(?:\.\d+)?)(px|pt|em|rem)?$/.exec(value) : null;
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === 'pt' ? (n * 4) / 3 : m[2] === 'em' || m[2] === 'rem' ? n * 16 : n;
}

/** <font size="N"> or "+N"/"-N" (relative to 3) in CSS pixels. */
function legacyFontPx(value: string | undefined): number | null {
  const m = value ? /^\s*([+-]?)(\d{1,2})\s*$/.exec(value) : null;
  if (!m) return null;
  const n = Number(m[2]);
  const size = m[1] === '+' ? 3 + n : m[1] === '-' ? 3 - n : n;
  return FONT_SIZE_PX[Math.max(1, Math.min(7, size))]!;
}

/** White space and controls: ASCII space and controls, NBSP, the Unicode spaces, line and paragraph separators, BOM (all in \s but the controls). */
const NOT_INK = /[\s\x00-\x1f]+/g;

const ANY_INK = /[^\s\x00-\x1f]/;

/** Characters that are not white space (what a reader sees as text). */
function inkOf(text: string): number {
  // Most text between tags is only line breaks and indentation: that answer needs no copy of it.
  return ANY_INK.test(text) ? text.replace(NOT_INK, '').length : 0;
}

interface ElementState {
  name: string;
  hiddenBy: string | null;
  colour: [number, number, number] | null;
  background: [number, number, number] | null;
  fontPx: number;
}

export function scanHtml(html: string): HtmlScan {
  const scan: HtmlScan = { anchors: [], resources: [], textUrls: [], active: {}, images: 0, largestFontPx: 0, visibleChars: 0, hiddenChars: 0, hasHtmlTag: false, text: '' };
  const lines: string[] = [];
  let textLength = 0;
  const addText = (text: string) => {
    if (textLength >= MAX_TEXT) return;
    lines.push(text);
    textLength += text.length;
  };
  const root: ElementState = { name: '#root', hiddenBy: null, colour: [0, 0, 0], background: [255, 255, 255], fontPx: 16 };
  const stack: ElementState[] = [root];
  let anchor: HtmlAnchor | null = null;
  let unshown = 0;

  const top = () => stack[stack.length - 1]!;
  tokenizeHtml(html, READ_ATTRIBUTES, {
    onOpenTag(name, attributes) {
      if (name === 'html') scan.hasHtmlTag = true;
      if (ACTIVE.has(name)) scan.active[name] = (scan.active[name] ?? 0) + 1;
      if (name === 'img') scan.images++;
      if (name === 'br') addText('\n');
      if (UNSHOWN.has(name)) unshown++;
      const resource = name === 'img' ? attributes.src : name === 'form' ? attributes.action : name === 'area' ? attributes.href : undefined;
      if (resource && scan.resources.length < MAX_ANCHORS) scan.resources.push(resource.trim());
      if (name === 'a' && attributes.href !== undefined && scan.anchors.length < MAX_ANCHORS) {
        anchor = { href: attributes.href.trim(), text: '' };
        scan.anchors.push(anchor);
      }
      const parent = top();
      if (attributes.style === undefined && attributes.bgcolor === undefined && attributes.hidden === undefined && name !== 'font') {
        // Nothing here restyles the text: it is shown as its parent's is.
        if (stack.length < MAX_DEPTH) stack.push({ name, hiddenBy: parent.hiddenBy, colour: parent.colour, background: parent.background, fontPx: parent.fontPx });
        return;
      }
      const css = declarations(attributes.style);
      const fontPx = cssFontPx(css.get('font-size')) ?? (name === 'font' ? legacyFontPx(attributes.size) : null) ?? parent.fontPx;
      if (fontPx > scan.largestFontPx) scan.largestFontPx = fontPx;
      const colour = parseColour(css.get('color') ?? (name === 'font' ? attributes.color : undefined)) ?? parent.colour;
      const background = parseColour(css.get('background-color') ?? css.get('background') ?? attributes.bgcolor) ?? parent.background;
      const hiddenBy =
        parent.hiddenBy ??
        (css.get('display') === 'none' ? 'display:none' : css.get('visibility') === 'hidden' ? 'visibility:hidden' : attributes.hidden !== undefined ? 'the hidden attribute' : fontPx <= TINY_FONT_PX ? `a ${fontPx}px font` : css.get('opacity') === '0' ? 'opacity:0' : null);
      if (stack.length < MAX_DEPTH) stack.push({ name, hiddenBy, colour, background, fontPx });
    },
    onCloseTag(name) {
      if (UNSHOWN.has(name) && unshown > 0) unshown--;
      if (name === 'a') anchor = null;
      if (name !== 'br' && LINE_ENDS.has(name)) addText('\n');
      // Close up to the matching element: the tokenizer closes implied ones, a stray end tag closes nothing.
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i]!.name === name) {
          stack.length = i;
          break;
        }
      }
    },
    onText(text) {
      if (unshown > 0) return;
      addText(text);
      if (scan.textUrls.length < MAX_ANCHORS && text.includes('://')) for (const m of text.matchAll(TEXT_URL)) scan.textUrls.push(m[0]);
      // Entities are decoded (&nbsp; is U+00A0 here).
      const chars = inkOf(text);
      if (chars === 0) return;
      const state = top();
      const hiddenBy = state.hiddenBy ?? (state.colour && state.background && indistinct(state.colour, state.background) ? 'text the colour of its background' : null);
      if (hiddenBy) {
        scan.hiddenChars += chars;
        if (!scan.hiddenBy) {
          scan.hiddenBy = hiddenBy;
          scan.hiddenSample = text.trim().replace(/\s+/g, ' ').slice(0, 80);
        }
      } else scan.visibleChars += chars;
      if (anchor && anchor.text.length < 200) anchor.text = (anchor.text + text).replace(/\s+/g, ' ').slice(0, 200);
    },
  });
  for (const a of scan.anchors) a.text = a.text.trim();
  scan.text = lines.join('').slice(0, MAX_TEXT);
  return scan;
}
