import { isLegalDnsName } from '../../dns/client.js';
import { outcomeProse, type FailedOutcome } from '../../dns/records.js';
import type { Check } from '../../engine/types.js';
import { domainOf } from '../../message/address.js';
import type { Prose } from '../../prose.js';
import { spfEvaluator } from '../mailauth.js';


/** Whole-evaluation deadline: RFC 7208 §4.6.4 suggests at least 20 seconds. */
const MAX_ELAPSED_MS = 20_000;

/**
 * SPF as a receiver evaluates it (mailauth's check_host) for the sending IP, the
 * envelope sender and the HELO, through presend's resolver.
 */
/** mailauth's SPF error texts (lib/spf), in Chinese too; any other is kept as mailauth wrote it. */
const mailauthErrors: Record<string, string> = {
  'Too many DNS requests': 'DNS 查询次数过多（RFC 7208 上限为 10）',
  'SPF evaluation time limit exceeded': 'SPF 评估超时',
  'Syntax error on parsing macro': '宏解析语法错误',
  'Invalid characters in DNS response': 'DNS 应答含有非法字符',
  'Failed to validate domain': '域名校验失败',
};

function mailauthReason(text: string): Prose {
  const dns = /^DNS error when resolving (\S+)/.exec(text);
  if (dns) return { en: text, zh: `解析 ${dns[1]} 时出现 DNS 错误` };
  return { en: text, zh: mailauthErrors[text] ?? text };
}

export const spfEvaluation: Check = {
  id: 'spf',
  description: 'The sending IP is authorized by SPF',
  needsDns: true,
  sendingServer: true,
  skipReason(inputs) {
    if (inputs.ip === undefined) return 'needs --ip';
    if (inputs.mailFromSource === 'unknown') return 'no envelope sender known (give --mail-from)';
    if (inputs.mailFrom === '' && !inputs.helo) return 'null sender and no HELO: no identity to check';
    return null;
  },
  memoKey: (inputs) => [inputs.ip, inputs.helo, inputs.mailFrom].join('\u0000'),
  async run({ inputs, dns }) {
    const nullSender = inputs.mailFrom === '';
    const failures: FailedOutcome[] = [];
    // mailauth silently turns an empty HELO into [ip]: pass none instead.
    const helo = inputs.helo?.trim() ? inputs.helo.trim() : undefined;
    const domain = nullSender ? helo! : domainOf(inputs.mailFrom);
    // check_host's first question, asked before mailauth loads so its answer travels meanwhile.
    if (isLegalDnsName(domain)) void dns.query(domain, 'TXT');
    const evaluate = await spfEvaluator();
    const result = await evaluate({
      sender: nullSender ? '' : inputs.mailFrom,
      ip: inputs.ip!,
      helo: helo ?? '',
      mta: 'presend',
      resolver: dns.mailauthResolver(failures),
      maxElapsedTime: MAX_ELAPSED_MS,
      // RFC 7208 exactly (mailauth's strict mode): what a receiver may refuse is reported, not smoothed over.
      strict: true,
    });
    const comment = result.status.comment ?? '';
    const text = comment.includes(': ') ? comment.slice(comment.lastIndexOf(': ') + 2) : comment;
    // A lookup that failed is the reason mailauth names: said in the reader's language, from the outcome itself.
    const failed = failures.find((f) => f.detail === text);
    const reason = failed ? { en: text, zh: outcomeProse(failed).zh } : mailauthReason(text);
    return [
      {
        check: 'spf',
        kind: 'result',
        data: {
          result: result.status.result,
          domain,
          ip: inputs.ip!,
          identity: nullSender ? 'helo' : 'mailfrom',
          record: result.rr ?? '',
        },
        prose: { reason },
        evidence: { record: result.rr, comment, header: result.header, lookups: result.lookups, mailFrom: inputs.mailFrom || '<>', helo },
        ...(result.status.result === 'temperror' ? { undecided: reason } : {}),
      },
    ];
  },
};
