/**
 * mailauth's evaluators, each loaded the first time a check runs it: loading them (joi,
 * libmime, iconv tables) is most of a short run's start-up, and a run that needs none —
 * an offline draft, `codes`, `explain` — should not pay for it. The subpaths, not the
 * package entry: that one loads undici, which needs Node 22 (DESIGN.md).
 */
import { createRequire } from 'node:module';
import type { DKIMVerifyOptions, DKIMVerifyResult, DMARCOptions, DMARCResult, MessageInput } from 'mailauth';
import type { SPFOptions, SPFResult } from 'mailauth/lib/spf/index.js';

const require = createRequire(import.meta.url);

export type DmarcEvaluation = { response: (DMARCResult & { error?: string; policyDomain?: string; rr?: string }) | false; reason?: string };

export function spfEvaluator(): (opts: SPFOptions & { resolver: unknown; mta: string }) => Promise<SPFResult & { rr?: string; lookups?: unknown }> {
  return (require('mailauth/lib/spf/index.js') as { spf: ReturnType<typeof spfEvaluator> }).spf;
}

export function dmarcEvaluator(): (opts: DMARCOptions & { resolver: unknown }) => Promise<DmarcEvaluation> {
  return (require('mailauth/lib/dmarc/index.js') as { evaluateDmarc: ReturnType<typeof dmarcEvaluator> }).evaluateDmarc;
}

export function dkimVerifier(): (input: MessageInput, options?: DKIMVerifyOptions) => Promise<DKIMVerifyResult> {
  return (require('mailauth/lib/dkim/verify.js') as { dkimVerify: ReturnType<typeof dkimVerifier> }).dkimVerify;
}
