import type { TrustAnchor } from '../dnssec/validator.js';
import type { DnsClient } from '../dns/client.js';
import type { DnsTraceEntry } from '../dns/records.js';
import type { MessageFacts } from '../message/facts.js';
import type { ContentEngines } from '../engines/options.js';
import type { ContentModel } from '../profile/content-model.js';
import type { DnsblList } from '../profile/dnsbl.js';
import type { Prose } from '../prose.js';

export type Severity = 'error' | 'warning' | 'info';
/** `error`: the target could not be checked at all (an unreadable draft): see Report.error. */
export type Verdict = 'pass' | 'warn' | 'fail' | 'error';
export type { Lang } from '../prose.js';

/** A value a rule condition can be compared with. */
export type Scalar = string | number | boolean | null;

/**
 * What a check saw: a kind (one check can see several things), the fields a
 * provider rule matches on, and the evidence a person needs to verify it.
 */
export interface Observation {
  check: string;
  kind: string;
  data: Record<string, Scalar | Scalar[]>;
  /** Sentences a rule's message quotes by field name (`{detail}`), in every report language; never matched on. */
  prose?: Record<string, Prose>;
  evidence: Record<string, unknown>;
  /**
   * The check could not decide (a lookup failed, a list refused to answer): why. Every
   * provider reports it — through its own rule, or as could-not-check when its profile
   * has none — so a fault never reads as a pass.
   */
  undecided?: Prose;
}

/**
 * How the envelope sender was decided: the report must say when it was assumed.
 * `unknown`: nothing gave one (no --mail-from, no Return-Path, no usable From) — never
 * read as the null sender, which a draft would have to ask for.
 */
export type MailFromSource = 'flag' | 'default' | 'return-path' | 'header-from' | 'unknown';

export interface Inputs {
  kind: 'domain' | 'eml';
  /** The sending domain (for `domain`) or the envelope sender's domain (for `eml`). */
  domain: string;
  ip?: string;
  /** undefined: not given; '' is a legal value meaning "empty HELO". */
  helo?: string;
  /** '' is the null sender. */
  mailFrom: string;
  mailFromSource: MailFromSource;
  /** Header From address (defaults to the envelope sender). */
  from: string;
  dkimSelectors: string[];
  rcpt: string[];
  offline: boolean;
  file?: string;
  message?: MessageFacts;
  /** Limit overrides, in the profile's units (bytes, count). */
  limits: Record<string, number>;
  bulk: boolean;
  /**
   * How the mail leaves: `mx` — your server delivers to the provider's MX (every check);
   * `submission` — it goes out through the provider's submission server as `account`,
   * so the checks of the sending server (SPF for the IP, PTR, HELO, IP lists) do not apply.
   */
  path: 'mx' | 'submission';
  account?: string;
  /** How many other drafts of this run carry the same subject and body. */
  repeats?: number;
  /** The transaction said SMTPUTF8 on MAIL (the sink): raw UTF-8 in headers is then allowed (RFC 6532). */
  smtputf8?: boolean;
  /** Where this target was written (a config entry), for findings that have no draft to point at. */
  source?: SourceLocation;
}

export interface SourceLocation {
  file: string;
  line?: number;
}

export interface CheckContext {
  inputs: Inputs;
  dns: DnsClient;
  /** Observations of another check this one builds on (awaits it). */
  observationsOf(checkId: string): Promise<Observation[]>;
  /** Data the active profile keeps for checks that need it (blocklists …). */
  data: ProfileData;
}

export interface ProfileData {
  dnsbl: DnsblList[];
  /** The content engine's weights and lists (rules/content.yaml). */
  contentModel(): ContentModel;
  /** The real spam filters the run asks (--rspamd, --spamd). */
  contentEngines: ContentEngines;
  /** CA certificates (PEM) trusted beside the system's for HTTPS and SMTP (--ca-file). */
  extraCa?: string;
  /** DNSSEC trust anchors (--trust-anchor); absent: the IANA root's. */
  trustAnchors?: TrustAnchor[];
  /** False when DNSSEC questions have no server to go to (--offline without a --resolver on loopback). */
  dnssecOverWire?: boolean;
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped' | 'crashed';

export interface Check {
  id: string;
  description: string;
  /** Checks whose observations this one reads. */
  after?: string[];
  /** Asks DNS: skipped when the run has no DNS at all (--offline without --zone). */
  needsDns: boolean;
  /** Judges the server that connects to the provider: not run when the provider's own submission server sends. */
  sendingServer?: boolean;
  /** Why the inputs (or the run's settings) do not allow this check, or null when it can run. */
  skipReason(inputs: Inputs, data?: ProfileData): string | null;
  /**
   * Everything the observations depend on besides DNS answers, as a key (the observations
   * of the checks in `after` are given). Targets of one session with the same key — a
   * sink's messages from one sender — share one run while the session shares DNS answers.
   * Absent: the check runs for every target (it reads the draft, or is too cheap to keep).
   */
  memoKey?(inputs: Inputs, dependencies: Observation[]): string;
  run(ctx: CheckContext): Promise<Observation[]>;
}

/** The findings the engine writes itself, beside the profiles' rules: a policy may name them too. */
export const ENGINE_RULES = {
  /** A check threw: its verdict is unknown. */
  crashed: 'check-could-not-finish',
  /** A fault (Observation.undecided) no rule of the profile speaks of. */
  undecided: 'could-not-check',
} as const;

export interface Finding {
  rule: string;
  severity: Severity;
  provider: string;
  /** The reply as the provider writes it; null for advice no provider reply corresponds to. */
  code: string | null;
  token: string | null;
  message: string;
  remedy: string;
  evidence: Record<string, unknown>;
  check: string;
  /** The draft (and header line) or the config entry a finding points at. */
  location?: SourceLocation;
  /** The check could not decide: the code is the reply it was about, not a predicted one. */
  couldNotCheck?: boolean;
}

export interface CheckRecord {
  check: string;
  status: CheckStatus;
  ms: number;
  reason?: string;
}

export interface Target {
  kind: 'domain' | 'eml' | 'smtp';
  domain: string;
  ip?: string;
  helo?: string;
  mailFrom: string;
  mailFromSource: MailFromSource;
  from: string;
  file?: string;
  source?: SourceLocation;
  /** `smtp`: the port dialled and the account logged in as. */
  port?: number;
  user?: string;
}

export interface Report {
  target: Target;
  verdict: Verdict;
  findings: Finding[];
  checks: CheckRecord[];
  notes: string[];
  dns: { queries: number; trace: DnsTraceEntry[] };
  /** Why this target could not be checked (its verdict is then `error`): the other targets still get their reports. */
  error?: string;
  /** What the verdict rests on and could not be read (the sending domain's own SPF or DMARC lookups all failed): exit status 3 unless something fails the run. */
  couldNotJudge?: string;
  /** `presend smtp`: every step of the dialogue with its reply, and what TLS was negotiated. */
  smtp?: { steps: { step: string; command: string; reply: string; status: number }[]; tls: Record<string, unknown> | null };
}
