import type { MessageFacts } from '../../message/facts.js';
import type { DomainList } from '../../profile/content-model.js';
import type { Prose } from '../../prose.js';
import { MAX_TEXT, scanHtml, TEXT_URL, type HtmlScan } from './html-scan.js';

/** The lists the content signals consult, kept as data in rules/content.yaml. */
export interface ContentLists {
  shorteners: ReadonlySet<string>;
  freemail: DomainList;
}

export interface DraftLink {
  /** As written in the draft (cut to 300 characters). */
  url: string;
  scheme: string;
  /** The host name as the URL standard reads it (IP forms normalised, IDNs in punycode), or null. */
  host: string | null;
  /** The link's visible text (HTML links only). */
  text?: string;
}

/**
 * A draft as the content signals read it, worked out once: header lookups, the HTML part
 * scanned, every link parsed. Each signal module reads this and never re-parses.
 */
export interface DraftView {
  message: MessageFacts;
  /** The first value of a header field (lower-case name), or undefined. */
  header(key: string): string | undefined;
  html: HtmlScan | null;
  /** The decoded size of the largest HTML part, in bytes. */
  htmlBytes: number;
  links: DraftLink[];
  /** The plain-text parts' text, or the HTML's text with its line breaks when there is none; its first MAX_TEXT characters. */
  text: string;
  lists: ContentLists;
}

export type SignalFamily = 'headers' | 'mime' | 'links' | 'html' | 'text';

/** What a signal saw: a sentence with the fact in it, and the evidence a person can check. */
export interface SignalHit {
  detail: Prose;
  evidence: Record<string, unknown>;
}

/**
 * One content signal: a small, named test with its metadata beside it (as an ESLint rule
 * module carries its own); its weight and measured rates are data in rules/content.yaml.
 */
export interface ContentSignal {
  id: string;
  family: SignalFamily;
  /** The header field the signal reads, where it reads one: reports point at its line. */
  headerField?: string;
  observe(draft: DraftView): SignalHit | null;
}

const MAX_LINKS = 500;

type LinkTarget = Pick<DraftLink, 'scheme' | 'host'>;

/** A link's scheme and host; `seen` holds the draft's links read so far (spam repeats one link many times). */
function parseLink(url: string, seen: Map<string, LinkTarget>, text?: string): DraftLink {
  let target = seen.get(url);
  if (!target) {
    const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
    let host: string | null = null;
    if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') {
      try {
        host = new URL(url.trim()).hostname.toLowerCase().replace(/\.$/, '') || null;
      } catch {
        host = null;
      }
    }
    seen.set(url, (target = { scheme, host }));
  }
  return { url: url.slice(0, 300), scheme: target.scheme, host: target.host, ...(text !== undefined ? { text } : {}) };
}

function textLinks(text: string, into: DraftLink[], seen: Map<string, LinkTarget>): void {
  for (const m of text.matchAll(TEXT_URL)) {
    if (into.length >= MAX_LINKS) return;
    into.push(parseLink(m[0].replace(/[.,;:!?]+$/, ''), seen));
  }
}

export function draftView(message: MessageFacts, lists: ContentLists): DraftView {
  const firstValues = new Map<string, string>();
  for (const h of message.headers) if (!firstValues.has(h.key)) firstValues.set(h.key, h.value);
  const htmlParts = message.bodies.filter((b) => b.type === 'text/html');
  const plainParts = message.bodies.filter((b) => b.type === 'text/plain');
  const html = htmlParts.length > 0 ? scanHtml(htmlParts[0]!.text) : null;
  const links: DraftLink[] = [];
  const seen = new Map<string, LinkTarget>();
  for (const a of html?.anchors ?? []) if (links.length < MAX_LINKS) links.push(parseLink(a.href, seen, a.text));
  for (const url of [...(html?.resources ?? []), ...(html?.textUrls ?? [])]) if (links.length < MAX_LINKS) links.push(parseLink(url.replace(/[.,;:!?]+$/, ''), seen));
  for (const part of plainParts) textLinks(part.text, links, seen);
  return {
    message,
    header: (key) => firstValues.get(key),
    html,
    htmlBytes: Math.max(0, ...htmlParts.map((p) => p.size)),
    links,
    text: plainParts.length > 0 ? plainParts.map((p) => p.text).join('\n').slice(0, MAX_TEXT) : (html?.text ?? ''),
    lists,
  };
}
