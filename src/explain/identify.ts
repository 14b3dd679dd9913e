import type { Profile } from '../profile/load.js';
import type { CodeEntry } from '../profile/schema.js';

export interface ReplyParts {
  /** The line as read. */
  line: string;
  status?: string;
  enhanced?: string;
  text: string;
}

export interface Identified {
  reply: ReplyParts;
  entry: CodeEntry;
  /** Whether the numeric status matched too, or only the token (providers vary the prefix of one token). */
  exactStatus: boolean;
}

export interface Unidentified {
  reply: ReplyParts;
  candidates: CodeEntry[];
}

const REPLY = /^\s*(?:[>\s]*)(?:Diagnostic-Code:\s*smtp;\s*|Remote-MTA-Reply:\s*|host\s+\S+\s+said:\s*)?([245]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3}))?(?:[ -]+(.*))?$/i;
const TOKEN = /\b([A-Z]{2}:[A-Z]{3})\b/;

export function splitReply(line: string): ReplyParts {
  const trimmed = line.trim();
  const m = REPLY.exec(trimmed);
  if (!m) return { line: trimmed, text: trimmed };
  return { line: trimmed, status: m[1], enhanced: m[2], text: (m[3] ?? '').trim() };
}

/** The catalogue entries whose token (or alias) this reply carries. */
function entriesFor(reply: ReplyParts, profile: Profile): CodeEntry[] {
  const token = TOKEN.exec(reply.text.toUpperCase())?.[1];
  if (token) return profile.codes.filter((c) => c.token === token);
  const haystack = `${reply.status ?? ''} ${reply.text}`.toLowerCase();
  return profile.codes.filter(
    (c) => haystack.includes(c.token.toLowerCase()) || (c.aliases ?? []).some((a) => haystack.includes(a.toLowerCase().replace(/^\d{3} /, ''))),
  );
}

export function identify(line: string, profile: Profile): Identified | Unidentified {
  const reply = splitReply(line);
  const entries = entriesFor(reply, profile);
  if (entries.length === 0) return { reply, candidates: closest(reply, profile) };
  const exact = entries.find((e) => e.code.startsWith(`${reply.status} `));
  // Several codes can carry one token under different statuses; without an exact status, prefer the longest, most specific token.
  const best = exact ?? [...entries].sort((a, b) => b.token.length - a.token.length)[0]!;
  return { reply, entry: best, exactStatus: exact !== undefined };
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
 * The nearest codes: by edit distance for something token-shaped ("MI:SFP" → MI:SPF),
 * else by the words a free-text reply shares with a code's text and meaning.
 */
function closest(reply: ReplyParts, profile: Profile): CodeEntry[] {
  const tokenLike = /\b[A-Z]{2}:[A-Z]{2,4}\b/i.exec(reply.text)?.[0]?.toUpperCase();
  const replyWords = words(reply.text);
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

/**
 * Lines of a bounce that look like an SMTP reply. Diagnostic-Code lines of a DSN
 * come first: they are the receiving server's own words.
 */
export function replyLines(text: string): string[] {
  const lines = unfold(text).split(/\r?\n/);
  const diagnostic = lines.filter((l) => /^\s*(Diagnostic-Code|Remote-MTA-Reply):/i.test(l));
  const replies = lines.filter((l) => /^\s*[>\s]*(host\s+\S+\s+said:\s*)?[245]\d\d[ -]/i.test(l) || TOKEN.test(l));
  return [...new Set([...diagnostic, ...replies])];
}

/** Joins folded header lines (a DSN folds long Diagnostic-Code values). */
function unfold(text: string): string {
  return text.replace(/\r?\n[ \t]+/g, ' ');
}
