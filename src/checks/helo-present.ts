import type { Check } from '../engine/types.js';

/** Whether a HELO name was given at all, and whether it is empty (RFC 5321 requires one). */
export const heloPresent: Check = {
  id: 'helo-present',
  description: 'The HELO/EHLO name is not empty',
  needsDns: false,
  sendingServer: true,
  skipReason: (inputs) => (inputs.helo === undefined ? 'no --helo given' : null),
  async run({ inputs }) {
    const helo = inputs.helo ?? '';
    return [{ check: 'helo-present', kind: 'helo', data: { empty: helo.trim() === '' }, evidence: { helo } }];
  },
};
