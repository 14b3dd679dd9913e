import { UsageError } from '../errors.js';
import type { MessageFacts } from '../message/facts.js';
import { emlInputs, type EnvelopeOptions } from './inputs.js';
import { mapConcurrent } from './pool.js';
import { checkTarget, countRepeats, type Session } from './session.js';
import type { Report } from './types.js';
import { unreadableReport } from './verdict.js';

/**
 * Several drafts in one run: each is read (an unreadable one becomes its own error
 * report, the others go on), drafts carrying the same subject and body learn how many
 * others repeat them, then each is checked. Reports come back in the order given.
 */
export async function checkDrafts(session: Session, files: readonly string[], envelope: EnvelopeOptions, concurrency: number, read: (file: string) => Promise<MessageFacts>): Promise<Report[]> {
  const facts = await mapConcurrent(files, concurrency, async (file) => {
    try {
      return await read(file);
    } catch (err) {
      if (err instanceof UsageError) return unreadableReport(file, err.message);
      throw err;
    }
  });
  // An unreadable draft has no content: it repeats nothing and nothing repeats it.
  const repeats = countRepeats(facts.map((f, i) => ('verdict' in f ? `unreadable ${i}` : f.contentDigest)));
  return mapConcurrent(facts, concurrency, async (fact, i) => ('verdict' in fact ? fact : checkTarget(session, { ...emlInputs(fact, envelope), repeats: repeats[i]! })));
}
