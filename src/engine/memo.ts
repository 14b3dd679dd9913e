/**
 * Observations shared by the targets of one session that shares DNS answers (a sink's
 * messages, a batch): a check whose observations depend on a few inputs and on DNS
 * (SPF for one IP and sender, a blocklist answer) runs once per key, not per target.
 * An entry lives no longer than the DNS answers it was built from, and a run that saw a
 * lookup fail is not kept: what rests on a failure is asked again, as the DNS cache does.
 */
import { LRUCache } from 'lru-cache';
import type { Observation } from './types.js';

export class ObservationMemo {
  private readonly entries: LRUCache<string, Promise<Observation[]>>;

  constructor(maxAgeMs: number, maxEntries = 10_000) {
    this.entries = new LRUCache({ max: maxEntries, ttl: maxAgeMs });
  }

  /** The observations under `key`, running `compute` once for it; `keep` decides, once it ran, whether others may reuse them. */
  get(key: string, compute: () => Promise<Observation[]>, keep: () => boolean): Promise<Observation[]> {
    const known = this.entries.get(key);
    if (known) return known;
    const pending = compute();
    this.entries.set(key, pending);
    void pending.then(
      () => {
        if (!keep() && this.entries.peek(key) === pending) this.entries.delete(key);
      },
      () => this.entries.delete(key),
    );
    return pending;
  }
}
