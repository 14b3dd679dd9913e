import { z } from 'zod';

const rate = z.number().min(0).max(100);

const signalSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    family: z.enum(['headers', 'mime', 'links', 'html', 'text']),
    /** Points the signal adds to the draft's score. */
    weight: z.number().min(0).max(20),
    /** false: the weight is set by hand (a signal the corpus does not carry, or one legitimate mail shares), and bench:content --fit leaves it. */
    fitted: z.boolean().default(true),
    /** Why a hand-set weight is what it is. */
    note: z.string().optional(),
    /** The SpamAssassin or rspamd rule it corresponds to, or the page that says why it matters. */
    source: z.string().min(1),
    /** Per cent of the tuning groups' messages it fired on (bench:content measures them). */
    rates: z.object({ spam: rate, ham: rate }).strict(),
  })
  .strict();

export const contentFileSchema = z
  .object({
    /** The score at which a draft is judged spam (content-spam-likely). */
    threshold: z.number().positive(),
    /** What the rates were measured on. */
    tuning: z.string().min(1),
    lists: z
      .object({
        /** URL shorteners (SpamAssassin's 25_url_shortener.cf, host names). */
        shorteners: z.array(z.string().regex(/^[a-z0-9.-]+$/)),
        /** Free mailbox providers (SpamAssassin's 20_freemail_domains.cf); `*` stands for one label. */
        freemail: z.array(z.string().regex(/^[a-z0-9.*-]+$/)),
      })
      .strict(),
    signals: z.array(signalSchema).min(1),
  })
  .strict();

export type ContentSignalData = z.infer<typeof signalSchema>;
export type ContentFile = z.infer<typeof contentFileSchema>;
