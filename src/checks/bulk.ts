import type { Inputs } from '../engine/types.js';
import { verbatim, type Prose } from '../prose.js';

/** Recipients beyond which a single message reads as a mailing. */
const BULK_RECIPIENTS = 10;

/**
 * Why a draft reads as bulk mail — the senders Gmail's, Yahoo's and Outlook.com's bulk
 * rules are about: `--bulk`, Precedence: bulk/list, a List-Id, or many recipients.
 * Empty when nothing says so.
 */
export function bulkSignals(inputs: Inputs): Prose[] {
  const m = inputs.message;
  if (!m) return inputs.bulk ? [verbatim('--bulk')] : [];
  const header = (key: string) => m.headers.find((h) => h.key === key)?.value;
  const recipients = new Set([...m.to, ...m.cc, ...m.bcc].map((a) => a.address.toLowerCase())).size + inputs.rcpt.length;
  return [
    ...(inputs.bulk ? [verbatim('--bulk')] : []),
    ...(/^\s*(bulk|list)\s*$/i.test(header('precedence') ?? '') ? [verbatim(`Precedence: ${header('precedence')!.trim()}`)] : []),
    ...(header('list-id') ? [verbatim('List-Id')] : []),
    ...(recipients > BULK_RECIPIENTS ? [{ en: `${recipients} recipients`, zh: `${recipients} 个收件人` }] : []),
  ];
}
