/** What a real spam filter said about a draft, in the shape presend reports it. */
export interface EngineVerdict {
  engine: 'rspamd' | 'spamassassin';
  /** The engine's own judgement: spam (it would add a header, rewrite the subject or reject) or not. */
  spam: boolean;
  score: number;
  required: number;
  /** rspamd's action ("reject", "add header", "no action" …); SpamAssassin has none. */
  action?: string;
  /** The rules that fired, with their scores where the engine gives them. */
  symbols: { name: string; score?: number }[];
}

/** Bytes of a reply held at most: an engine that answers more than this is not answering as one. */
export const MAX_ENGINE_REPLY_BYTES = 1024 * 1024;
/** How long an engine may take over one draft (SpamAssassin's own spamc waits up to 600 s; a draft check should not). */
export const ENGINE_TIMEOUT_MS = 30_000;
