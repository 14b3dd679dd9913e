import type { Check } from '../engine/types.js';
import { joinProse, type Prose } from '../prose.js';
import { bulkSignals } from './bulk.js';
import { needsMessage } from './needs-message.js';

/** Bulk-looking mail carries List-Unsubscribe with RFC 8058 one-click (Gmail's and Yahoo's 2024 sender rules). */
export const unsubscribeCheck: Check = {
  id: 'unsubscribe',
  description: 'Bulk mail offers one-click unsubscribe',
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs }) {
    const m = inputs.message!;
    const header = (key: string) => m.headers.find((h) => h.key === key)?.value;
    const why = bulkSignals(inputs);
    if (why.length === 0) return [];
    const listUnsubscribe = header('list-unsubscribe');
    const post = header('list-unsubscribe-post');
    const hasHttps = /<https:\/\/[^>]+>/i.test(listUnsubscribe ?? '');
    const oneClick = hasHttps && /^\s*List-Unsubscribe=One-Click\s*$/i.test(post ?? '');
    const problem = !listUnsubscribe ? 'missing' : oneClick ? 'none' : 'no-one-click';
    const detail: Prose =
      problem === 'missing'
        ? { en: 'has no List-Unsubscribe header', zh: '没有 List-Unsubscribe 信头' }
        : problem === 'no-one-click'
          ? {
              en: 'has List-Unsubscribe but no RFC 8058 one-click (an https URI plus List-Unsubscribe-Post: List-Unsubscribe=One-Click)',
              zh: '有 List-Unsubscribe，但没有 RFC 8058 一键退订（需 https URI 加 List-Unsubscribe-Post: List-Unsubscribe=One-Click）',
            }
          : { en: 'offers one-click unsubscribe', zh: '提供一键退订' };
    return [
      {
        check: 'unsubscribe',
        kind: 'unsubscribe',
        data: { problem },
        prose: { why: joinProse(why, { en: ', ', zh: '、' }), detail },
        evidence: { listUnsubscribe: listUnsubscribe ?? null, listUnsubscribePost: post ?? null, listId: header('list-id') ?? null, precedence: header('precedence') ?? null },
      },
    ];
  },
};
