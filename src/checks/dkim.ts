import { createRequire } from 'node:module';
import type { DKIMVerifyOptions, DKIMVerifyResult, MessageInput } from 'mailauth';
import type { Check, Observation } from '../engine/types.js';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify.js') as { dkimVerify: (input: MessageInput, options?: DKIMVerifyOptions) => Promise<DKIMVerifyResult> };

/**
 * Verifies the draft's DKIM signatures through presend's resolver. A draft usually
 * has none (the sending server signs), which is advice, not a problem.
 */
export const dkimCheck: Check = {
  id: 'dkim',
  description: "The draft's DKIM signatures verify",
  needsDns: true,
  skipReason: (inputs) => (inputs.message ? null : 'needs a draft message'),
  async run({ inputs, dns }) {
    const hasSignature = inputs.message!.headers.some((h) => h.key === 'dkim-signature');
    if (!hasSignature) return [{ check: 'dkim', kind: 'signature', data: { result: 'none' }, evidence: {} }];
    const verified = await dkimVerify(inputs.message!.openRaw(), { resolver: dns.mailauthResolver(), sender: inputs.mailFrom || undefined });
    return verified.results.map(
      (r): Observation => ({
        check: 'dkim',
        kind: 'signature',
        data: {
          result: r.status.result,
          domain: r.signingDomain ?? '',
          selector: r.selector ?? '',
          reason: r.status.comment ?? r.status.result,
        },
        evidence: { signature: r.signature?.slice(0, 200), algorithm: r.algo, bodyHash: r.bodyHash, bodyHashExpecting: r.bodyHashExpecting, info: r.info },
      }),
    );
  },
};
