/**
 * A provider's SMTP dialogue as the sink speaks it: which reply each stage earns (from
 * the profile's `dialogue`), the limit that triggers it, and whether the sink's role
 * gives it at all. No reply text lives here — every refusal is the profile's own text.
 */
import type { Profile } from '../profile/load.js';
import type { DialogueStage } from '../profile/schema.js';

export type SinkRole = 'mx' | 'submission';

export interface Refusal {
  stage: DialogueStage;
  /** The reply as the provider writes it, e.g. `550 MI:NHD`. */
  code: string;
  status: number;
  text: string;
}

/** A reply as the profile writes it (`550 MI:NHD`), split into its status and its text. */
export function splitReply(code: string): { status: number; text: string } {
  const m = /^(\d{3}) (.*)$/.exec(code)!;
  return { status: Number(m[1]), text: m[2]! };
}

export class Dialogue {
  constructor(
    readonly profile: Profile,
    readonly role: SinkRole,
    private readonly limitOverrides: Record<string, number> = {},
  ) {}

  /** The refusal for a stage, or null when this provider (or this role) gives none there. */
  refusal(stage: DialogueStage): Refusal | null {
    const reply = this.profile.dialogue[stage];
    if (!reply || (reply.role !== undefined && reply.role !== this.role)) return null;
    return { stage, code: reply.code, ...splitReply(reply.code) };
  }

  /** The limit a stage is triggered by (the profile's, or an override), or Infinity when it has none. */
  limit(stage: DialogueStage): number {
    const name = this.profile.dialogue[stage]?.limit;
    if (name === undefined) return Number.POSITIVE_INFINITY;
    return this.limitOverrides[name] ?? this.profile.limits[name]?.value ?? Number.POSITIVE_INFINITY;
  }

  isProviderDomain(domain: string): boolean {
    return this.profile.domains.includes(domain.toLowerCase());
  }
}
