import type { Check, Observation } from '../engine/types.js';
import type { Prose } from '../prose.js';
import { roles } from './roles.js';

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
    const compare = (role: Prose, address: string, source: string): Observation => ({
      check: 'account',
      kind: 'sender',
      data: { address: address || '<>', account, matches: address.toLowerCase() === account },
      prose: { role },
      evidence: { role: role.en, address: address || '<>', account, source },
    });
    const out: Observation[] = [];
    if (inputs.mailFromSource !== 'unknown') out.push(compare(roles.envelopeSender, inputs.mailFrom, inputs.mailFromSource));
    if (inputs.from) out.push(compare(roles.headerFrom, inputs.from, inputs.message ? 'the draft' : '--from'));
    return out;
  },
};
