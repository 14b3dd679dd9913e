import type { Check } from '../engine/types.js';
import { joinProse } from '../prose.js';
import { bulkSignals } from './bulk.js';

/**
 * SPF and DKIM taken together, as receivers' sender rules state them: Gmail, Yahoo and
 * Outlook.com want every sender to pass at least one, and bulk senders both. Needs both
 * evaluated — an IP for SPF and a draft for its signatures — or it says nothing.
 */
export const authenticationCheck: Check = {
  id: 'authentication',
  description: 'The mail passes SPF or DKIM (every sender), and both (bulk senders)',
  needsDns: true,
  sendingServer: true,
  after: ['spf', 'dkim'],
  skipReason: (inputs) => (inputs.ip === undefined ? 'needs --ip' : inputs.message ? null : 'needs a draft message'),
  async run({ inputs, observationsOf }) {
    const [spf, dkim] = await Promise.all([observationsOf('spf'), observationsOf('dkim')]);
    const spfResult = spf.find((o) => o.kind === 'result');
    if (!spfResult) return [];
    const signatures = dkim.filter((o) => o.kind === 'signature' && o.data.result !== 'none');
    const spfPassed = spfResult.data.result === 'pass';
    const dkimPassed = signatures.filter((o) => o.data.result === 'pass').length;
    // A lookup that failed decides nothing: "could not check" is the SPF and DKIM checks' own finding.
    const undecided = spfResult.data.result === 'temperror' || signatures.some((o) => o.data.result === 'temperror');
    const bulk = bulkSignals(inputs);
    return [
      {
        check: 'authentication',
        kind: 'summary',
        data: { spf: String(spfResult.data.result), dkimSignatures: signatures.length, dkimPassed, anyPassed: spfPassed || dkimPassed > 0, bothPassed: spfPassed && dkimPassed > 0, undecided, bulk: bulk.length > 0 },
        prose: {
          why: joinProse(bulk, { en: ', ', zh: '、' }),
          dkim:
            signatures.length === 0
              ? { en: 'no signature', zh: '没有签名' }
              : { en: `${dkimPassed} of ${signatures.length} signatures pass`, zh: `${signatures.length} 个签名中 ${dkimPassed} 个通过` },
        },
        evidence: { spf: { domain: spfResult.data.domain, result: spfResult.data.result }, dkim: signatures.map((o) => ({ domain: o.data.domain, selector: o.data.selector, result: o.data.result })) },
      },
    ];
  },
};
