import type { Check } from '../engine/types.js';
import { accountCheck } from './account.js';
import { attachmentsCheck } from './attachments.js';
import { authenticationCheck } from './authentication.js';
import { contentCheck } from './content/draft.js';
import { contentSignalsCheck } from './content/index.js';
import { rspamdCheck } from './content/rspamd.js';
import { spamassassinCheck } from './content/spamassassin.js';
import { fromAlignment } from './from-alignment.js';
import { messageFormat } from './message-format.js';
import { messageSize } from './message-size.js';
import { recipientsCheck } from './recipients.js';
import { unsubscribeCheck } from './unsubscribe.js';
import { dkimCheck } from './dkim.js';
import { dkimKey } from './dkim-key.js';
import { dmarcCheck } from './dmarc/index.js';
import { dnsblCheck } from './dnsbl.js';
import { heloCheck } from './helo.js';
import { heloPresent } from './helo-present.js';
import { bimiCheck } from './bimi.js';
import { daneCheck } from './dane.js';
import { dnssecCheck } from './dnssec.js';
import { mtaStsCheck } from './mta-sts.js';
import { mxTlsCheck } from './mx-tls.js';
import { nsConsistencyCheck } from './ns-consistency.js';
import { nullSender } from './null-sender.js';
import { tlsRptCheck } from './tls-rpt.js';
import { ptrCheck } from './ptr.js';
import { senderDomain } from './sender-domain.js';
import { senderSyntax } from './sender-syntax.js';
import { spfEvaluation } from './spf/evaluate.js';
import { spfRecord } from './spf/record.js';

/** The checks that look at the envelope and DNS: everything `presend domain` runs. */
export const domainChecks: readonly Check[] = [
  accountCheck,
  heloPresent,
  nullSender,
  senderSyntax,
  spfEvaluation,
  spfRecord,
  dmarcCheck,
  dnsblCheck,
  ptrCheck,
  heloCheck,
  senderDomain,
  dkimKey,
  dkimCheck,
  mtaStsCheck,
  tlsRptCheck,
  mxTlsCheck,
  bimiCheck,
  nsConsistencyCheck,
  dnssecCheck,
  daneCheck,
];

/** The checks that read the draft itself. */
export const messageChecks: readonly Check[] = [authenticationCheck, fromAlignment, attachmentsCheck, messageSize, recipientsCheck, messageFormat, unsubscribeCheck, contentCheck, contentSignalsCheck, rspamdCheck, spamassassinCheck];

/** Every check, in the order reports list them. */
export const allChecks: readonly Check[] = [...domainChecks, ...messageChecks];
