/**
 * Answers shared by every target of one run (a batch of domains, a sink's stream of
 * messages): an include tree such as a large provider's SPF is asked once, not per
 * target. Only answers are kept (a failure is asked again next time), for at most
 * `maxAgeMs` — receivers cache by TTL too — and at most `maxEntries`, oldest first out.
 */
import { couldNotCheck, type DnsOutcome } from './records.js';

export class SharedDnsCache {
  private readonly entries = new Map<string, { outcome: Promise<DnsOutcome>; expires: number }>();

  constructor(
    private readonly maxAgeMs = 60_000,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string, now = Date.now()): Promise<DnsOutcome> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.outcome;
  }

  set(key: string, outcome: Promise<DnsOutcome>, now = Date.now()): void {
    this.entries.set(key, { outcome, expires: now + this.maxAgeMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // A question that could not be answered is not an answer to keep.
    void outcome.then((o) => {
      if (couldNotCheck(o) && this.entries.get(key)?.outcome === outcome) this.entries.delete(key);
    });
  }
}
