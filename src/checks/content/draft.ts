import type { Check, Observation } from '../../engine/types.js';
import { needsMessage } from '../needs-message.js';

/** Header fields every real message carries (RFC 5322 §3.6 requires Date and From; To and Subject are expected). */
const EXPECTED_HEADERS = ['from', 'to', 'subject', 'date'];

/** A subject as words only, lower case: "Test 1!" and "test" read alike, so do "测试 2" and "测试". */
export function normaliseSubject(subject: string): string {
  return subject
    .toLowerCase()
    .replace(/[^\p{L}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What a draft says and how often: missing header fields, the subject as words, how
 * much body there is, and how many other drafts of the run are the same mail. Rules
 * (the profile's) decide what a provider makes of them.
 */
export const contentCheck: Check = {
  id: 'content',
  description: 'The draft reads as a real message, not a test or a repeat',
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs }) {
    const message = inputs.message!;
    const present = new Set(message.headers.filter((h) => h.value.trim() !== '').map((h) => h.key));
    const missing = EXPECTED_HEADERS.filter((h) => !present.has(h));
    const subject = message.subject;
    const bodyChars = message.bodyText.replace(/\s+/g, '').length;
    const out: Observation[] = [
      {
        check: 'content',
        kind: 'text',
        data: { subject: normaliseSubject(subject), bodyChars },
        evidence: { subject, bodyChars, body: message.bodyText.slice(0, 120) },
      },
    ];
    if (missing.length > 0) {
      out.push({ check: 'content', kind: 'headers', data: { missing, missingCount: missing.length }, evidence: { missing } });
    }
    if ((inputs.repeats ?? 0) > 0) {
      out.push({ check: 'content', kind: 'repeated', data: { repeats: inputs.repeats! }, evidence: { repeats: inputs.repeats, digest: message.contentDigest.slice(0, 16) } });
    }
    return out;
  },
};
