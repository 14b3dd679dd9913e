import type { Check } from '../engine/types.js';
import { domainOf, envelopeAddressProblem } from '../message/address.js';

/** The envelope sender is a valid RFC 5321 Mailbox. */
export const senderSyntax: Check = {
  id: 'sender-syntax',
  description: 'The envelope sender is a valid RFC 5321 address',
  needsDns: false,
  skipReason: (inputs) => (inputs.mailFromSource === 'unknown' ? 'no envelope sender known (give --mail-from)' : inputs.mailFrom === '' ? 'null sender (reported by null-sender)' : null),
  async run({ inputs }) {
    const reason = envelopeAddressProblem(inputs.mailFrom);
    return [
      {
        check: 'sender-syntax',
        kind: 'mail-from-syntax',
        data: { valid: reason === null, address: inputs.mailFrom, domain: domainOf(inputs.mailFrom) },
        ...(reason ? { prose: { reason } } : {}),
        evidence: { mailFrom: inputs.mailFrom, source: inputs.mailFromSource },
      },
    ];
  },
};
