import { z } from 'zod';

const ipv4 = z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'an answer in 127.0.0.0/8');
const cidr = z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}(\/\d{1,2})?$/, 'an address or CIDR range in 127.0.0.0/8');

/** A meaning or advice, in every report language. */
const text = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();

const listSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    zone: z.string().min(3),
    kind: z.enum(['ip', 'domain']),
    default: z.boolean(),
    ipv6: z.boolean().default(false),
    delist: z.string().min(1),
    /** Return code → what the listing means. */
    codes: z.record(ipv4, text),
    /** Return codes that are errors of the list (not listings) → why. */
    errors: z.record(ipv4, text).default({}),
    /** A domain list's own listed test point when it is not RFC 5782's "test". */
    testPoint: z.string().optional(),
    /** What to do when the list refuses this resolver. */
    advice: text.optional(),
  })
  .strict();

export const dnsblFileSchema = z
  .object({
    /** Answers that are never listings on any list (RFC 5782 and operators' error codes). */
    errorAnswers: z.array(z.object({ range: cidr, meaning: text }).strict()),
    /** Extra error answers on domain lists. */
    domainErrorAnswers: z.array(z.object({ range: cidr, meaning: text }).strict()).default([]),
    lists: z.array(listSchema).min(1),
  })
  .strict();

export type DnsblListData = z.infer<typeof listSchema>;
export type DnsblFile = z.infer<typeof dnsblFileSchema>;
