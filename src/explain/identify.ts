import type { Profile } from '../profile/load.js';
import type { CodeEntry, Side } from '../profile/schema.js';
import { plainPaste, standingStatus, statusBefore, statusesWithEnhanced } from './paste.js';

export interface ReplyParts {
  /** The paste made plain (one line), as read. */
  line: string;
  /** The three digits actually read, or undefined when the paste holds none for this reply. */
  status?: string;
  enhanced?: string;
  /** The reply from its token on (`DT:SPM 163 smtp9,…`). */
  text: string;
}

export interface Identified {
  reply: ReplyParts;
  entry: CodeEntry;
  /** Every catalogue entry with this token: its statuses, for a paste whose status cannot be read. */
  variants: CodeEntry[];
  /** Whether the numeric status matched too, or only the token (providers vary the prefix of one token). */
  exactStatus: boolean;
  side: Side | null;
}

export interface Unidentified {
  reply: ReplyParts;
}

const TOKEN = /\b([A-Z]{2}:[A-Z]{3})\b/;

/** What each entry is recognised by in a paste: its token (`DT:SPM`, or the wording of a text code) and its aliases. */
export function needles(entry: CodeEntry): string[] {
  // A text code is also recognised by its whole wording, so the status right before it is read.
  const wording = entry.code.replace(/^\d{3} /, '');
  return [entry.token, ...(wording !== entry.token && !TOKEN.test(wording) ? [wording] : []), ...(entry.aliases ?? []).map((a) => a.replace(/^\d{3} /, ''))];
}

/** The earliest place in the paste where a catalogue entry's token stands, and the entries with that token. */
function firstMention(plain: string, profile: Profile): { at: number; token: string } | null {
  const lower = plain.toLowerCase();
  let best: { at: number; token: string; length: number } | null = null;
  for (const entry of profile.codes) {
    for (const needle of needles(entry)) {
      const lowerNeedle = needle.toLowerCase();
      // Most needles are nowhere in the paste: a plain search rules them out before a token's whole-word pattern is built.
      if (!lower.includes(lowerNeedle)) continue;
      const at = TOKEN.test(needle) ? indexOfToken(plain, needle) : lower.indexOf(lowerNeedle);
      if (at < 0) continue;
      // The earliest mention wins; at one place, the longer needle (the more specific text).
      if (!best || at < best.at || (at === best.at && needle.length > best.length)) best = { at, token: entry.token, length: needle.length };
    }
  }
  return best ? { at: best.at, token: best.token } : null;
}

/**
 * A token such as `MI:SPF` (or an alias that holds one) as a whole word, in any case.
 * Escaped: an alias comes from a provider's YAML and may hold `.` or `(`.
 */
function indexOfToken(plain: string, token: string): number {
  const literal = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![A-Za-z])${literal}(?![A-Za-z])`, 'i').exec(plain);
  return m ? m.index : -1;
}

/** Which of the provider's servers answered, from the reply's own marks (`163 smtp9`, `126 mx3`). */
export function sideOf(text: string, profile: Profile): Side | null {
  return profile.hostMarks.find((mark) => mark.pattern.test(text))?.side ?? null;
}

/** The reply read from `at` on, with the status the paste holds for it. */
function replyParts(line: string, at: number): ReplyParts {
  const read = statusBefore(line, at);
  return { line, text: line.slice(at), ...(read.status ? { status: read.status } : {}), ...(read.enhanced ? { enhanced: read.enhanced } : {}) };
}

export function identify(paste: string, profile: Profile): Identified | Unidentified {
  const line = plainPaste(paste);
  const mention = firstMention(line, profile);
  if (!mention) return byEnhancedStatus(line, profile) ?? { reply: unknownReply(line) };
  const reply = replyParts(line, mention.at);
  const variants = profile.codes.filter((c) => c.token === mention.token);
  const exact = reply.status ? variants.find((e) => e.code.startsWith(`${reply.status} `)) : undefined;
  // Without an exact status the first variant stands for the token; the explanation lists them all.
  const entry = exact ?? variants[0]!;
  // The reply's own marks name the server; failing those, a reply only one side gives names it.
  return { reply, entry, variants, exactStatus: exact !== undefined, side: sideOf(line, profile) ?? entry.side ?? null };
}

/**
 * A reply no catalogue holds still has a status: the first status with an enhanced status
 * (`550 5.7.1 Service unavailable…`), else the first three digits standing as a status.
 */
function unknownReply(line: string): ReplyParts {
  const found = statusesWithEnhanced(line)[0] ?? standingStatus(line);
  if (!found) return replyParts(line, line.search(/\S/));
  return { line, text: line.slice(found.at), status: found.status, ...(found.enhanced ? { enhanced: found.enhanced } : {}) };
}

/**
 * A reply cut short or reworded, whose status and enhanced status only one entry of the
 * catalogue carries (`550 5.7.25` at Gmail): that entry, read from the status on.
 */
function byEnhancedStatus(line: string, profile: Profile): Identified | null {
  const read = statusesWithEnhanced(line)[0];
  if (!read) return null;
  const matching = profile.codes.filter((c) => c.code.startsWith(`${read.status} ${read.enhanced} `));
  if (matching.length !== 1) return null;
  const entry = matching[0]!;
  const reply = { line, text: line.slice(read.at), status: read.status, enhanced: read.enhanced! };
  return { reply, entry, variants: [entry], exactStatus: true, side: sideOf(line, profile) ?? entry.side ?? null };
}

export function isIdentified(result: Identified | Unidentified): result is Identified {
  return 'entry' in result;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z]{3,}/g) ?? []);
}

/**
 * The nearest codes to a reply no entry matched: by edit distance for something
 * token-shaped ("MI:SFP" → MI:SPF), else by the words a free-text reply shares with a
 * code's text and meaning.
 */
export function closest(text: string, profile: Profile): CodeEntry[] {
  const tokenLike = /\b[A-Z]{2}:[A-Z]{2,4}\b/i.exec(text)?.[0]?.toUpperCase();
  const replyWords = words(text);
  const score = (entry: CodeEntry) => {
    if (tokenLike) return distance(tokenLike, entry.token.toUpperCase());
    const shared = [...words(`${entry.code} ${entry.meaning.en}`)].filter((w) => replyWords.has(w)).length;
    return -shared;
  };
  const seen = new Set<string>();
  return profile.codes
    .map((entry) => ({ entry, d: score(entry) }))
    .sort((a, b) => a.d - b.d)
    .filter(({ entry }) => (seen.has(entry.token) ? false : (seen.add(entry.token), true)))
    .slice(0, 3)
    .map(({ entry }) => entry);
}

/** Diagnostic lines read at the most: a bounce for many recipients repeats one reply. */
const MAX_DIAGNOSTICS = 20;

/**
 * A DSN's Diagnostic-Code and Remote-MTA-Reply lines of type smtp, unfolded: the receiving
 * server's own words. An `X-Postfix;` (or other non-smtp) diagnostic is the reporting MTA's
 * own words — a connection that failed, a local limit — not a reply, and is left to the
 * rest of the paste; so is the DSN's Status field, read when no reply has a status.
 */
export function diagnosticLines(text: string): string[] {
  return text
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((l) => /^\s*(Diagnostic-Code|Remote-MTA-Reply):\s*(smtp;|[245]\d\d[ -])/i.test(l))
    .slice(0, MAX_DIAGNOSTICS)
    .map((l) => l.replace(/^\s*(Diagnostic-Code|Remote-MTA-Reply):\s*(smtp;\s*)?/i, ''));
}

/** A DSN's per-recipient Status field (RFC 3464 §2.3.4), e.g. 5.3.4: the reporting MTA's verdict when no reply is quoted. */
export function dsnStatus(text: string): string | null {
  return /^\s*Status:\s*([245]\.\d{1,3}\.\d{1,3})\b/im.exec(text)?.[1] ?? null;
}
