/** What the draft's HTML does beyond showing text: hiding it, shouting it, replacing it with pictures, running code. */
import type { ContentSignal } from './signal.js';

/** HTML legacy size 6 (32 px) and above is SpamAssassin's HTML_FONT_SIZE_HUGE. */
const HUGE_FONT_PX = 32;
/**
 * Hidden text worth a signal: more than a preheader (the hidden preview line newsletters
 * put first, about 100 characters) and more than a tenth of what is shown.
 */
const HIDDEN_CHARS = 200;
/** Gmail clips a message whose HTML is larger than about 102 KB (email-testing vendors' measurements; Google documents no figure). */
export const GMAIL_CLIP_BYTES = 102 * 1024;
/** Text per image below which a message is pictures, not words (SpamAssassin's HTML_IMAGE_ONLY_* count text up to 3,200 characters in steps). */
const IMAGE_ONLY_CHARS = 400;

export const hugeFont: ContentSignal = {
  id: 'html-font-huge',
  family: 'html',
  observe(d) {
    if (!d.html || d.html.largestFontPx < HUGE_FONT_PX) return null;
    return {
      detail: { en: `the HTML asks for a ${Math.round(d.html.largestFontPx)}px font, the size of a poster headline`, zh: `HTML 使用了 ${Math.round(d.html.largestFontPx)}px 的字体，大如海报标题` },
      evidence: { largestFontPx: Math.round(d.html.largestFontPx) },
    };
  },
};

export const hiddenText: ContentSignal = {
  id: 'html-hidden-text',
  family: 'html',
  observe(d) {
    const h = d.html;
    if (!h || h.hiddenChars <= HIDDEN_CHARS || h.hiddenChars * 10 <= h.visibleChars) return null;
    return {
      detail: { en: `${h.hiddenChars} characters of text are hidden from the reader (${h.hiddenBy}: "${h.hiddenSample}"), the way spam feeds words to filters`, zh: `有 ${h.hiddenChars} 个字符对读者不可见（${h.hiddenBy}：“${h.hiddenSample}”），这是垃圾邮件向过滤器投喂文字的手法` },
      evidence: { hiddenChars: h.hiddenChars, visibleChars: h.visibleChars, hiddenBy: h.hiddenBy, sample: h.hiddenSample },
    };
  },
};

export const imageHeavy: ContentSignal = {
  id: 'html-image-only',
  family: 'html',
  observe(d) {
    const h = d.html;
    if (!h || h.images === 0 || h.visibleChars >= IMAGE_ONLY_CHARS) return null;
    return {
      detail: { en: `the HTML is ${h.images} image(s) with ${h.visibleChars} characters of text: filters cannot read pictures, so they distrust them`, zh: `HTML 由 ${h.images} 张图片和仅 ${h.visibleChars} 个字符的文字组成：过滤器读不懂图片，因而不信任此类邮件` },
      evidence: { images: h.images, visibleChars: h.visibleChars },
    };
  },
};

export const clippedHtml: ContentSignal = {
  id: 'html-over-clip-size',
  family: 'html',
  observe(d) {
    if (d.htmlBytes <= GMAIL_CLIP_BYTES) return null;
    return {
      detail: { en: `the HTML part is ${d.htmlBytes} bytes: Gmail clips HTML beyond about ${GMAIL_CLIP_BYTES} bytes and hides the rest, an unsubscribe link included`, zh: `HTML 部分有 ${d.htmlBytes} 字节：Gmail 会截断约 ${GMAIL_CLIP_BYTES} 字节之后的 HTML 并隐藏其余部分（包括退订链接）` },
      evidence: { htmlBytes: d.htmlBytes, clipBytes: GMAIL_CLIP_BYTES },
    };
  },
};

const RUNNING = ['script', 'iframe', 'frame', 'object', 'embed', 'applet'];

export const activeContent: ContentSignal = {
  id: 'html-script',
  family: 'html',
  observe(d) {
    const found = RUNNING.filter((tag) => (d.html?.active[tag] ?? 0) > 0);
    if (found.length === 0) return null;
    return {
      detail: { en: `the HTML has ${found.map((t) => `<${t}>`).join(', ')}: mail clients never run or embed them, and filters treat them as an attack`, zh: `HTML 含有 ${found.map((t) => `<${t}>`).join('、')}：邮件客户端从不执行或嵌入它们，过滤器视之为攻击` },
      evidence: { elements: Object.fromEntries(found.map((t) => [t, d.html!.active[t]])) },
    };
  },
};

export const htmlForm: ContentSignal = {
  id: 'html-form',
  family: 'html',
  observe(d) {
    const forms = d.html?.active.form ?? 0;
    if (forms === 0) return null;
    return {
      detail: { en: `the HTML has ${forms} <form> element(s): a form that submits from a mail is how phishing collects passwords`, zh: `HTML 含有 ${forms} 个 <form> 元素：在邮件中提交表单是钓鱼收集密码的手法` },
      evidence: { forms },
    };
  },
};

export const htmlWithoutHtmlTag: ContentSignal = {
  id: 'html-no-html-tag',
  family: 'html',
  observe(d) {
    const htmlOnly = d.message.format.hasHtmlPart && !d.message.format.hasTextPart;
    if (!d.html || !htmlOnly || d.html.hasHtmlTag) return null;
    return {
      detail: { en: 'the body is HTML alone and has no <html> element: a fragment pasted by a program, not a page a mail program wrote', zh: '正文只有 HTML 且没有 <html> 元素：是程序拼贴的片段，而非邮件客户端写出的页面' },
      evidence: { htmlBytes: d.htmlBytes },
    };
  },
};

export const clickHere: ContentSignal = {
  id: 'html-click-here',
  family: 'html',
  observe(d) {
    const anchor = d.html?.anchors.find((a) => /^(?:please )?click here[.!]*$/i.test(a.text));
    if (!anchor) return null;
    return {
      detail: { en: `a link's whole text is "${anchor.text}": filters and screen readers learn nothing of where it leads`, zh: `链接的全部文字是“${anchor.text}”：过滤器与读屏软件都无从得知它通向哪里` },
      evidence: { text: anchor.text, href: anchor.href.slice(0, 120) },
    };
  },
};

export const htmlSignals: readonly ContentSignal[] = [
  htmlWithoutHtmlTag,
  clickHere,
  hugeFont,
  hiddenText,
  imageHeavy,
  clippedHtml,
  activeContent,
  htmlForm,
];
