/**
 * mailauth's evaluators, each loaded the first time a check runs it: loading them (joi,
 * libmime, iconv tables) is most of a short run's start-up, and a run that needs none —
 * an offline draft, `codes`, `explain` — should not pay for it. The subpaths, not the
 * package entry: that one loads undici, which needs Node 22 (DESIGN.md).
 *
 * Loading blocks the event loop for ~80 ms, so it waits until the questions already
 * asked are on the wire: their answers travel while mailauth loads instead of after.
 */
import { createRequire } from 'node:module';
import type { DKIMVerifyOptions, DKIMVerifyResult, DMARCOptions, DMARCResult, MessageInput } from 'mailauth';
import type { SPFOptions, SPFResult } from 'mailauth/lib/spf/index.js';
import { questionsSent } from '../dns/sending.js';

const require = createRequire(import.meta.url);
const loaded = new Map<string, unknown>();

async function load<T>(path: string): Promise<T> {
  if (!loaded.has(path)) {
    await questionsSent();
    loaded.set(path, require(path));
  }
  return loaded.get(path) as T;
}

export type DmarcEvaluation = { response: (DMARCResult & { error?: string; policyDomain?: string; rr?: string }) | false; reason?: string };
type SpfEvaluator = (opts: SPFOptions & { resolver: unknown; mta: string }) => Promise<SPFResult & { rr?: string; lookups?: unknown }>;
type DmarcEvaluator = (opts: DMARCOptions & { resolver: unknown }) => Promise<DmarcEvaluation>;
type DkimVerifier = (input: MessageInput, options?: DKIMVerifyOptions) => Promise<DKIMVerifyResult>;

export async function spfEvaluator(): Promise<SpfEvaluator> {
  return (await load<{ spf: SpfEvaluator }>('mailauth/lib/spf/index.js')).spf;
}

export async function dmarcEvaluator(): Promise<DmarcEvaluator> {
  return (await load<{ evaluateDmarc: DmarcEvaluator }>('mailauth/lib/dmarc/index.js')).evaluateDmarc;
}

export async function dkimVerifier(): Promise<DkimVerifier> {
  return (await load<{ dkimVerify: DkimVerifier }>('mailauth/lib/dkim/verify.js')).dkimVerify;
}

export interface MtaStsPolicy {
  mode: 'enforce' | 'testing' | 'none';
  mx?: string[];
  maxAge: number;
  version: string;
}
interface MtaStsLibrary {
  resolvePolicy(domain: string, opts: { resolver: (name: string, type: string) => Promise<string[][]>; strict: boolean }): Promise<string | false>;
  parsePolicy(text: string, opts: { strict: boolean }): MtaStsPolicy;
  validateMx(mx: string, policy: MtaStsPolicy): { valid: boolean };
}

/** mailauth's MTA-STS record and policy parsers and its MX matching (RFC 8461); the policy is fetched by presend (net/https-get.ts). */
export async function mtaStsLibrary(): Promise<MtaStsLibrary> {
  return load<MtaStsLibrary>('mailauth/lib/mta-sts.js');
}
