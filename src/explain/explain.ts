import type { Profile } from '../profile/load.js';
import type { CodeEntry } from '../profile/schema.js';
import type { Lang } from '../engine/types.js';
import { identify, isIdentified, replyLines, type ReplyParts } from './identify.js';

export interface Explanation {
  input: string;
  reply: ReplyParts;
  known: boolean;
  code?: string;
  token?: string;
  exactStatus?: boolean;
  category?: CodeEntry['category'];
  knownBy?: CodeEntry['knownBy'];
  meaning?: string;
  cause?: string;
  remedy?: string;
  predictedBy: { rule: string; severity: string; check: string }[];
  candidates: { code: string; meaning: string }[];
  source?: string;
}

/** A reply line, a bare token, or a whole bounce's text → what it is and what to do. */
export function explain(text: string, profile: Profile, lang: Lang): Explanation {
  const lines = replyLines(text);
  const attempts = (lines.length > 0 ? lines : [text.trim()]).map((line) => identify(line, profile));
  const found = attempts.find(isIdentified);
  if (!found) {
    const first = attempts[0]!;
    return {
      input: text.trim(),
      reply: first.reply,
      known: false,
      predictedBy: [],
      candidates: ('candidates' in first ? first.candidates : []).map((c) => ({ code: c.code, meaning: c.meaning[lang] })),
    };
  }
  const { entry } = found;
  // A provider may vary the numeric prefix of one token: a rule predicting the token under one status predicts it under all.
  const rules = profile.rules.filter((r) => r.code !== undefined && profile.codeByText.get(r.code)?.token === entry.token);
  return {
    input: text.trim(),
    reply: found.reply,
    known: true,
    code: entry.code,
    token: entry.token,
    exactStatus: found.exactStatus,
    category: entry.category,
    knownBy: entry.knownBy,
    meaning: entry.meaning[lang],
    ...(entry.cause ? { cause: entry.cause[lang] } : {}),
    remedy: entry.remedy[lang],
    predictedBy: rules.map((r) => ({ rule: r.id, severity: r.severity, check: r.check })),
    candidates: [],
    source: profile.sources[entry.source] ?? entry.source,
  };
}
