import type { Check } from '../engine/types.js';

/** An empty reverse-path (MAIL FROM:<>) is legal for bounces (RFC 5321 §4.5.5) but some receivers refuse it. */
export const nullSender: Check = {
  id: 'null-sender',
  description: 'The envelope sender is not null',
  needsDns: false,
  skipReason: (inputs) => (inputs.mailFromSource === 'unknown' ? 'no envelope sender known (give --mail-from)' : null),
  async run({ inputs }) {
    return [
      {
        check: 'null-sender',
        kind: 'mail-from',
        data: { nullSender: inputs.mailFrom === '' },
        evidence: { mailFrom: inputs.mailFrom === '' ? '<>' : inputs.mailFrom, source: inputs.mailFromSource },
      },
    ];
  },
};
