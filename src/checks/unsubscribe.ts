import type { Check } from '../engine/types.js';
import { needsMessage } from './needs-message.js';

/** Recipients beyond which a single message reads as a mailing. */
const BULK_RECIPIENTS = 10;

/** Bulk-looking mail carries List-Unsubscribe with RFC 8058 one-click (Gmail's and Yahoo's 2024 sender rules). */
export const unsubscribeCheck: Check = {
  id: 'unsubscribe',
  description: 'Bulk mail offers one-click unsubscribe',
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs }) {
    const m = inputs.message!;
    const header = (key: string) => m.headers.find((h) => h.key === key)?.value;
    const recipients = new Set([...m.to, ...m.cc, ...m.bcc].map((a) => a.address.toLowerCase())).size + inputs.rcpt.length;
    const why = [
      inputs.bulk ? '--bulk' : '',
      /^\s*(bulk|list)\s*$/i.test(header('precedence') ?? '') ? `Precedence: ${header('precedence')!.trim()}` : '',
      header('list-id') ? 'List-Id' : '',
      recipients > BULK_RECIPIENTS ? `${recipients} recipients` : '',
    ].filter(Boolean);
    if (why.length === 0) return [];
    const listUnsubscribe = header('list-unsubscribe');
    const post = header('list-unsubscribe-post');
    const hasHttps = /<https:\/\/[^>]+>/i.test(listUnsubscribe ?? '');
    const oneClick = hasHttps && /^\s*List-Unsubscribe=One-Click\s*$/i.test(post ?? '');
    const problem = !listUnsubscribe ? 'missing' : oneClick ? 'none' : 'no-one-click';
    const detail =
      problem === 'missing'
        ? 'has no List-Unsubscribe header'
        : problem === 'no-one-click'
          ? `has List-Unsubscribe but no RFC 8058 one-click (an https URI plus List-Unsubscribe-Post: List-Unsubscribe=One-Click)`
          : 'offers one-click unsubscribe';
    return [
      {
        check: 'unsubscribe',
        kind: 'unsubscribe',
        data: { problem, why: why.join(', '), detail },
        evidence: { listUnsubscribe: listUnsubscribe ?? null, listUnsubscribePost: post ?? null, listId: header('list-id') ?? null, precedence: header('precedence') ?? null },
      },
    ];
  },
};
