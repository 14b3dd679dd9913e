/**
 * Answers shared by every target of one run (a batch of domains, a sink's stream of
 * messages): an include tree such as a large provider's SPF is asked once, not per
 * target. Only answers are kept (a failure is asked again next time), for at most
 * `maxAgeMs` — receivers cache by TTL too — and at most `maxEntries`, least used first out.
 */
import { LRUCache } from 'lru-cache';
import { couldNotCheck, type DnsOutcome } from './records.js';

export class SharedDnsCache {
  private readonly entries: LRUCache<string, Promise<DnsOutcome>>;

  constructor(
    /** How long an answer is shared; what is built from the answers (observations) lives no longer. */
    readonly maxAgeMs = 60_000,
    maxEntries = 50_000,
  ) {
    this.entries = new LRUCache({ max: maxEntries, ttl: maxAgeMs, ttlAutopurge: false });
  }

  get(key: string): Promise<DnsOutcome> | undefined {
    return this.entries.get(key);
  }

  set(key: string, outcome: Promise<DnsOutcome>): void {
    this.entries.set(key, outcome);
    // A question that could not be answered is not an answer to keep.
    void outcome.then((o) => {
      if (couldNotCheck(o) && this.entries.peek(key) === outcome) this.entries.delete(key);
    });
  }
}
