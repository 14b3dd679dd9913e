import type { Check, Observation } from '../engine/types.js';

/**
 * Through a provider's submission server the sender must be the account that logged
 * in: the envelope sender and the header From, each compared with it.
 */
export const accountCheck: Check = {
  id: 'account',
  description: 'The sender is the account the mail is submitted as',
  needsDns: false,
  skipReason: (inputs) => (inputs.account === undefined ? 'no --account (not sent through a submission server)' : null),
  async run({ inputs }) {
    const account = inputs.account!;
    const compare = (role: string, address: string, source: string): Observation => ({
      check: 'account',
      kind: 'sender',
      data: { role, address: address || '<>', account, matches: address.toLowerCase() === account },
      evidence: { role, address: address || '<>', account, source },
    });
    const out: Observation[] = [];
    if (inputs.mailFromSource !== 'unknown') out.push(compare('envelope sender (MAIL FROM)', inputs.mailFrom, inputs.mailFromSource));
    if (inputs.from) out.push(compare('header From', inputs.from, inputs.message ? 'the draft' : '--from'));
    return out;
  },
};
