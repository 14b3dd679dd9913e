import { z } from 'zod';

const envelope = {
  ip: z.string().optional(),
  helo: z.string().optional(),
  mailFrom: z.string().optional(),
  from: z.string().optional(),
  dkimSelectors: z.array(z.string()).optional(),
};

const domainTarget = z.object({ domain: z.string().min(1), ...envelope }).strict();
const draftTarget = z
  .object({
    /** A path or glob (relative to the config file). */
    path: z.string().min(1),
    rcpt: z.array(z.string()).optional(),
    bulk: z.boolean().optional(),
    /** Sent through the provider's submission server as this account (overrides the top-level account). */
    account: z.string().optional(),
    ...envelope,
  })
  .strict();

/** presend.config.yaml / .json: what a pipeline checks, and how strictly. */
export const configSchema = z
  .object({
    /** The providers to answer for: a profile name (rules/<name>.yaml), a comma list, `all`, or a path to a profile. */
    provider: z.string().default('netease'),
    lang: z.enum(['en', 'zh']).optional(),
    failOn: z.enum(['error', 'warning', 'never']).optional(),
    resolvers: z.array(z.string()).optional(),
    /** Milliseconds per DNS question, as --timeout (at most ten minutes). */
    timeout: z.number().int().positive().max(600_000).optional(),
    offline: z.boolean().optional(),
    /** Drafts go out through the provider's submission server as this account (like --account). */
    account: z.string().optional(),
    /** `presend sink`'s settings: flags override them. */
    sink: z
      .object({
        role: z.enum(['mx', 'submission']).optional(),
        users: z.array(z.object({ user: z.string().min(1), password: z.string() }).strict()).optional(),
        mailboxes: z.array(z.string()).optional(),
        clientIp: z.string().optional(),
      })
      .strict()
      .optional(),
    zones: z.array(z.string()).optional(),
    dnsbl: z.array(z.string()).optional(),
    /** A real spam filter to ask about drafts, as --rspamd (its base URL) and --spamd (host[:port]). */
    rspamd: z.string().min(1).optional(),
    spamd: z.string().min(1).optional(),
    limits: z
      .object({ maxMessageSize: z.union([z.string(), z.number()]).optional(), maxRecipients: z.number().int().positive().optional() })
      .strict()
      .optional(),
    /** Rule id → a new severity, or off. */
    rules: z.record(z.string(), z.enum(['off', 'info', 'warning', 'error'])).optional(),
    /** Findings to drop; each must say why. */
    ignore: z
      .array(
        z
          .object({
            rule: z.string().min(1),
            target: z.string().optional(),
            reason: z.string().min(10, 'give a reason of at least 10 characters: an ignore without one hides a rejection'),
          })
          .strict(),
      )
      .optional(),
    /** An absolute base URL of the README (e.g. the repository page) for SARIF helpUri links. */
    helpBaseUri: z.string().url().optional(),
    /** What `presend check` runs; `domain` and `eml` with --config take only the settings above. */
    targets: z.object({ domains: z.array(domainTarget).optional(), drafts: z.array(draftTarget).optional() }).strict().default({}),
  })
  .strict();

export type PresendConfig = z.infer<typeof configSchema>;
