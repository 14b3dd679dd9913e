import { z } from 'zod';

const text = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();

/** A condition on one observation field: a bare scalar means equality, a list means "one of". */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const operator = z
  .object({
    eq: scalar.optional(),
    in: z.array(scalar).optional(),
    not: z.union([scalar, z.array(scalar)]).optional(),
    gt: z.union([z.number(), z.string()]).optional(),
    gte: z.union([z.number(), z.string()]).optional(),
    lt: z.union([z.number(), z.string()]).optional(),
    inList: z.string().optional(),
    notInList: z.string().optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'a condition needs at least one operator');
export const conditionSchema = z.union([scalar, z.array(scalar), operator]);

const sideText = z.object({ cause: text.optional(), remedy: text.optional() }).strict();
export const sideSchema = z.enum(['submission', 'mx', 'enterprise']);

const codeEntry = z
  .object({
    code: z.string().regex(/^[245]\d\d /, 'starts with a three-digit reply status and a space'),
    token: z.string().min(2),
    category: z.enum(['sender', 'receiver', 'system']),
    knownBy: z.enum(['predicted', 'plan', 'explain-only']),
    /** What usually leads to this reply, for `explain` (the meaning says what the reply is). */
    cause: text.optional(),
    meaning: text,
    remedy: text,
    source: z.string().min(1),
    aliases: z.array(z.string()).optional(),
    /** Only this side of the provider gives the reply (a submission server's login replies); absent: either. */
    side: sideSchema.optional(),
    /** What the reply means on each side, where that differs: a submission server judges the account, an MX the sending server. */
    sides: z.object({ submission: sideText.optional(), mx: sideText.optional(), enterprise: sideText.optional() }).strict().optional(),
    /** Seen in real replies and reported by senders, but not on any page of the provider's. */
    reportedOnly: z.boolean().optional(),
  })
  .strict();

/** The stages of an SMTP conversation a sink can refuse at: the same names for every provider. */
export const dialogueStages = [
  'empty-helo',
  'unknown-command',
  'too-many-bad-commands',
  'too-many-commands',
  'too-many-connections',
  'too-many-messages-from-ip',
  'auth-required',
  'auth-failed',
  'too-many-auth-failures',
  'null-sender',
  'sender-not-local',
  'sender-not-account',
  'local-sender-from-outside',
  'relay-denied',
  'unknown-recipient',
  'too-many-unknown-recipients',
  'too-many-recipients',
  'too-many-recipients-in-connection',
  'too-many-messages-in-connection',
  'too-many-messages-today',
  'too-many-recipients-today',
  'message-too-large',
  'local-error',
  'too-many-messages-short-term',
  'too-many-recipients-short-term',
  'too-many-connections-today',
  'too-many-account-auth-failures',
  'too-many-messages-from-ip-today',
  'ip-denied',
  'ip-not-allowed',
  'ip-suspended',
  'sender-denied',
  'sender-not-allowed',
  'recipient-suspended',
  'account-locked',
  'smtp-disabled',
] as const;
export type DialogueStage = (typeof dialogueStages)[number];

/** A stage's reply: a catalogue code, the limit that triggers it, and the sink role that gives it (absent: both). */
const dialogueReply = z.object({ code: z.string().min(1), limit: z.string().optional(), role: z.enum(['mx', 'submission']).optional() }).strict();

/** How a reply shows which of the provider's servers gave it (`163 smtp9` → submission). */
const hostMark = z.object({ pattern: z.string().min(1), side: sideSchema }).strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by hyphens'),
    check: z.string().min(1),
    kind: z.string().min(1),
    when: z.record(z.string(), conditionSchema).default({}),
    severity: z.enum(['error', 'warning', 'info']),
    /** Absent for advice no reply of this provider corresponds to (a Gmail requirement, a lint). */
    code: z.string().min(1).optional(),
    message: text,
    remedy: text.optional(),
    assumption: text.optional(),
    /** The send path the rule is about: `mx` (your server delivers to the provider's MX) or `submission` (you send through your account); absent: both. */
    path: z.enum(['mx', 'submission']).optional(),
    /** Seen in senders' reports, not documented by the provider: the sources say who reported it. */
    reportedBy: z.array(z.string()).optional(),
    /** The finding says a check could not decide: reports show its code as the reply it was about, never as predicted. */
    couldNotCheck: z.boolean().optional(),
  })
  .strict();

const limit = z
  .object({
    value: z.number().positive(),
    unit: z.enum(['bytes', 'count', 'seconds']),
    source: text,
    assumption: z.boolean(),
  })
  .strict();

export const profileSchema = z
  .object({
    provider: z.string().regex(/^[a-z0-9-]+$/),
    name: text,
    /** The short name reports use: "NetEase would reply …". */
    label: text,
    domains: z.array(z.string()).min(1),
    sources: z.record(z.string(), z.string()),
    limits: z.record(z.string(), limit).default({}),
    lists: z.record(z.string(), z.array(z.string())).default({}),
    codes: z.array(codeEntry).min(1),
    hosts: z.array(hostMark).default([]),
    /** Marks in a reply that show it came from this provider (a host name the provider signs its replies with), beyond the `hosts` that also name the server's side. */
    marks: z.array(z.string().min(1)).default([]),
    dialogue: z.partialRecord(z.enum(dialogueStages), dialogueReply).default({}),
    /** How the provider answers a message it takes, for `presend sink`: a 250 reply, `{id}` standing for the queue id. */
    accepted: z.string().regex(/^250 \S/).optional(),
    rules: z.array(ruleSchema),
  })
  .strict();

export type ProfileFile = z.infer<typeof profileSchema>;
export type CodeEntry = z.infer<typeof codeEntry>;
export type Side = z.infer<typeof sideSchema>;
export type DialogueReply = z.infer<typeof dialogueReply>;
export type ProfileRule = z.infer<typeof ruleSchema>;
export type Condition = z.infer<typeof conditionSchema>;

/** rules/posture.yaml: rules every profile carries alike, added to each as it loads. */
export const sharedRulesSchema = z.object({ rules: z.array(ruleSchema) }).strict();
export type SharedRulesFile = z.infer<typeof sharedRulesSchema>;
