import type { Profile } from '../profile/load.js';
import type { CodeEntry, Side } from '../profile/schema.js';
import type { Lang } from '../engine/types.js';
import { echoed, readablePart } from './bounds.js';
import { curlError } from './curl.js';
import { closest, identify, isIdentified, diagnosticLines, dsnStatus, type Identified, type ReplyParts } from './identify.js';

/** One status the token comes with, for a paste whose own status cannot be read. */
export interface StatusVariant {
  code: string;
  status: string;
  temporary: boolean;
  meaning: string;
}

export interface Explanation {
  input: string;
  reply: ReplyParts;
  known: boolean;
  /** The reply as the provider writes it; null when the paste's status cannot be read and the token has several. */
  code: string | null;
  token: string | null;
  /** The three digits read from the paste, or null when none could be read. */
  status: string | null;
  enhancedStatus: string | null;
  /** Whether the status read is one the provider documents for this token. */
  exactStatus: boolean;
  /** Which of the provider's servers answered: its submission server (an account's own mail), its MX (a foreign server delivering), its enterprise mail, or null when the paste does not say. */
  side: Side | null;
  provider: string;
  category?: CodeEntry['category'];
  knownBy?: CodeEntry['knownBy'];
  meaning?: string;
  likelyCause?: string;
  remedy?: string;
  /** Seen in real replies and reported by senders, not documented by the provider. */
  reportedOnly: boolean;
  /** Every status this token comes with, when the paste's own could not be read. */
  statuses: StatusVariant[];
  predictedBy: { rule: string; severity: string; check: string }[];
  candidates: { code: string; meaning: string }[];
  source?: string;
  /**
   * How the provider was told, when several profiles were asked: by the reply's own marks
   * (a host name it signs with, `163 mx14`), by the only profile that knows the reply, or not at all.
   */
  providerBy?: 'marks' | 'code' | 'unknown';
  /** Other providers whose catalogue also holds this reply (by its wording, or its status and enhanced status), or that a reply of unknown origin could be from. */
  otherProviders?: string[];
  /** A 2xx or 3xx reply: the server took the command, nothing was refused. */
  success?: boolean;
  /** The SMTP step the paste says failed (curl's `RCPT failed`), when it says. */
  step?: string;
}

/** Whether the paste bears the provider's marks (its hosts, the host name it signs with, a NetEase token). */
function bearsMarks(text: string, profile: Profile): boolean {
  return profile.providerMarks.some((m) => m.test(text)) || profile.hostMarks.some((m) => m.pattern.test(text));
}

/**
 * A reply explained against every provider's catalogue: the provider is the one whose
 * marks the reply bears among those that know it, else the only one that knows it; a
 * reply several could have sent, or none knows, says which providers it could be from.
 */
export function explainAcross(text: string, profiles: readonly Profile[], lang: Lang): Explanation {
  return profiles.length === 1 ? explain(text, profiles[0]!, lang) : readAcross(text, profiles, lang);
}

/** The words for a reply that refuses nothing. */
const SUCCESS: Record<Lang, string> = {
  en: 'a success reply (2xx/3xx): the server took the command; this is not a refusal',
  zh: '成功应答（2xx/3xx）：服务器接受了该命令，并非拒收',
};

/** explainAcross for several catalogues, however many of them are given (explain/shortlist.ts may give one). */
export function readAcross(text: string, profiles: readonly Profile[], lang: Lang): Explanation {
  // The nearest codes are looked for only when no catalogue knows the reply (edit distances over every code).
  const results = profiles.map((profile) => ({ profile, explanation: read(text, profile, lang), marked: bearsMarks(text, profile) }));
  const known = results.filter((r) => r.explanation.known);
  const marked = results.filter((r) => r.marked);
  // Several catalogues know the wording and no marks tell: the one whose entry also carries the
  // reply's enhanced status (two providers may share a short wording under different enhanced
  // statuses), then its exact status, then the longest wording matched.
  const carriesEnhanced = (r: (typeof known)[number]) =>
    r.explanation.enhancedStatus !== null && r.profile.codes.some((c) => c.token === r.explanation.token && c.code.split(' ')[1] === r.explanation.enhancedStatus);
  const longest = [...known].sort((a, b) => (b.explanation.token?.length ?? 0) - (a.explanation.token?.length ?? 0))[0];
  const pick =
    known.find((r) => r.marked) ??
    (known.length === 1 ? known[0] : undefined) ??
    known.find(carriesEnhanced) ??
    known.find((r) => r.explanation.exactStatus) ??
    longest ??
    (marked.length === 1 ? marked[0] : undefined);
  if (!pick) {
    const first = results[0]!.explanation;
    const candidates = results.flatMap((r) => nearest(r.explanation, r.profile, lang).slice(0, 1).map((c) => ({ ...c, code: `${c.code} (${r.profile.label[lang]})` })));
    return { ...first, provider: 'unknown', candidates, providerBy: 'unknown', otherProviders: results.map((r) => r.profile.provider) };
  }
  // Who else knows this reply; a reply only its marks place names no one else.
  const others = pick.explanation.known ? known.filter((r) => r !== pick).map((r) => r.profile.provider) : [];
  // A reply its marks place that the provider's catalogue does not hold: that catalogue's nearest codes.
  const candidates = pick.explanation.known ? pick.explanation.candidates : nearest(pick.explanation, pick.profile, lang);
  return { ...pick.explanation, candidates, providerBy: pick.marked ? 'marks' : pick.explanation.known && known.length === 1 ? 'code' : 'unknown', otherProviders: others };
}

/** A reply line, a bare token, a pasted exception or log line, or a whole bounce → what it is and what to do; a reply the catalogue does not hold, with its nearest codes. */
export function explain(text: string, profile: Profile, lang: Lang): Explanation {
  const explanation = read(text, profile, lang);
  return explanation.known ? explanation : { ...explanation, candidates: nearest(explanation, profile, lang) };
}

/** The catalogue's nearest codes to a reply it does not hold. */
function nearest(unknown: Explanation, profile: Profile, lang: Lang): Explanation['candidates'] {
  return closest(unknown.reply.line, profile).map((c) => ({ code: c.code, meaning: c.meaning[lang] }));
}

/** What the reply is in one catalogue, without looking for the nearest codes to a reply it does not hold. */
function read(pasted: string, profile: Profile, lang: Lang): Explanation {
  const text = readablePart(pasted);
  // A DSN's Diagnostic-Code is the receiving server's own words: read it before the rest.
  const attempts = [...diagnosticLines(text), text].map((t) => identify(t, profile));
  const found = attempts.find(isIdentified);
  if (!found) {
    const first = attempts[attempts.length - 1]!;
    const success = /^[23]/.test(first.reply.status ?? '');
    // curl's own line: the step and curl's number, said in words.
    const curl = curlError(text);
    return {
      input: echoed(text.trim()),
      known: false,
      code: null,
      token: null,
      status: first.reply.status ?? null,
      enhancedStatus: first.reply.enhanced ?? dsnStatus(text),
      ...(success ? { success: true, meaning: SUCCESS[lang] } : {}),
      ...(curl ? { meaning: curl.meaning[lang], ...(curl.step ? { step: curl.step } : {}) } : {}),
      exactStatus: false,
      side: null,
      provider: profile.provider,
      reportedOnly: false,
      statuses: [],
      predictedBy: [],
      candidates: [],
      reply: echoedReply(first.reply),
    };
  }
  return describe(echoed(text.trim()), found, profile, lang);
}

/** The reply read, as echoed back: its line and text at most MAX_ECHO characters. */
const echoedReply = (reply: ReplyParts): ReplyParts => ({ ...reply, line: echoed(reply.line), text: echoed(reply.text) });

/**
 * One field of the entries a token comes with, when the paste's status could not be read:
 * the same words for every status, or each status with its own (`451: …; 550, 554: …`),
 * never one status's words passed off as the token's.
 */
function acrossStatuses(variants: readonly CodeEntry[], field: (v: CodeEntry) => string | undefined): string | undefined {
  const byText = new Map<string, string[]>();
  for (const v of variants) {
    const text = field(v);
    if (text !== undefined) byText.set(text, [...(byText.get(text) ?? []), v.code.slice(0, 3)]);
  }
  if (byText.size === 0) return undefined;
  if (byText.size === 1) return [...byText.keys()][0];
  return [...byText].map(([text, statuses]) => `${statuses.join(', ')}: ${text}`).join(' | ');
}

/** An entry's meaning, likely cause and remedy, as the server that answered (its side) words them. */
function wordsOf(entry: CodeEntry, side: Side | null, lang: Lang): Pick<Explanation, 'meaning' | 'likelyCause' | 'remedy'> {
  const bySide = side ? entry.sides?.[side] : undefined;
  const cause = bySide?.cause ?? entry.cause;
  return { meaning: entry.meaning[lang], ...(cause ? { likelyCause: cause[lang] } : {}), remedy: (bySide?.remedy ?? entry.remedy)[lang] };
}

/** The same, across every status a token comes with when the paste's own is unknown. */
function ambiguousWords(variants: readonly CodeEntry[], side: Side | null, lang: Lang): Pick<Explanation, 'meaning' | 'likelyCause' | 'remedy'> {
  const of = (key: 'meaning' | 'likelyCause' | 'remedy') => acrossStatuses(variants, (v) => wordsOf(v, side, lang)[key]);
  const cause = of('likelyCause');
  return { meaning: of('meaning')!, ...(cause ? { likelyCause: cause } : {}), remedy: of('remedy')! };
}

function describe(input: string, found: Identified, profile: Profile, lang: Lang): Explanation {
  const { entry, variants, reply, side } = found;
  // A provider may vary the numeric prefix of one token: a rule predicting the token under one status predicts it under all.
  const rules = profile.rules.filter((r) => r.code !== undefined && profile.codeByText.get(r.code)?.token === entry.token);
  const status = reply.status ?? null;
  const ambiguous = status === null && new Set(variants.map((v) => v.code.slice(0, 3))).size > 1;
  return {
    input,
    known: true,
    code: ambiguous ? null : status && !found.exactStatus ? `${status} ${entry.token}` : entry.code,
    token: entry.token,
    status,
    enhancedStatus: reply.enhanced ?? null,
    exactStatus: found.exactStatus,
    side,
    provider: profile.provider,
    category: entry.category,
    knownBy: entry.knownBy,
    ...(ambiguous ? ambiguousWords(variants, side, lang) : wordsOf(entry, side, lang)),
    reportedOnly: entry.reportedOnly ?? false,
    statuses: ambiguous ? variants.map((v) => ({ code: v.code, status: v.code.slice(0, 3), temporary: v.code.startsWith('4'), meaning: v.meaning[lang] })) : [],
    // A rule predicts the reply on the path it is written for: a submission server's DT:SPM is not about PTR or HELO.
    predictedBy: rules.filter((r) => side === null || r.path === undefined || r.path === side).map((r) => ({ rule: r.id, severity: r.severity, check: r.check })),
    candidates: [],
    source: profile.sources[entry.source] ?? entry.source,
    reply: echoedReply(reply),
  };
}
