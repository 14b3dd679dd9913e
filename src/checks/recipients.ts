import type { Check } from '../engine/types.js';

/** Distinct envelope recipients: To, Cc, Bcc and --rcpt, case-insensitively de-duplicated. */
export const recipientsCheck: Check = {
  id: 'recipients',
  description: 'The number of recipients per message is within the limit',
  needsDns: false,
  skipReason: (inputs) => (inputs.message || inputs.rcpt.length > 0 ? null : 'needs a draft message or --rcpt'),
  async run({ inputs }) {
    const m = inputs.message;
    const all = [...(m?.to ?? []), ...(m?.cc ?? []), ...(m?.bcc ?? [])].map((a) => a.address).concat(inputs.rcpt);
    const distinct = [...new Set(all.filter(Boolean).map((a) => a.toLowerCase()))];
    return [
      {
        check: 'recipients',
        kind: 'recipients',
        data: { count: distinct.length },
        evidence: { to: m?.to.length ?? 0, cc: m?.cc.length ?? 0, bcc: m?.bcc.length ?? 0, rcpt: inputs.rcpt.length, distinct: distinct.length, sample: distinct.slice(0, 5) },
      },
    ];
  },
};
