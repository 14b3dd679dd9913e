/** The languages a report is written in. */
export type Lang = 'en' | 'zh';

/**
 * A sentence written where the fact is found (a check, the message reader, the DNS
 * client), in every report language at once, as ESLint's rules carry their messages:
 * the finder knows what it means, the report only picks the reader's language.
 */
export type Prose = Record<Lang, string>;

/** The same words in every language: a value (a name, an address, a record) that is not prose. */
export function verbatim(text: string): Prose {
  return { en: text, zh: text };
}

/** Prose joined with a separator per language (an English '; ' is a Chinese '；'). */
export function joinProse(parts: readonly Prose[], separator: Prose = { en: '; ', zh: '；' }): Prose {
  return { en: parts.map((p) => p.en).join(separator.en), zh: parts.map((p) => p.zh).join(separator.zh) };
}
