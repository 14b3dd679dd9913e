/**
 * What the sink counts across connections: connections open per IP, messages per IP in
 * a sliding window, a sender's messages and recipients per day, failed logins and
 * unknown recipients per IP. Bounded: every map forgets keys nobody used for a day, and
 * holds at most MAX_KEYS of them (a client cycling addresses cannot grow it forever).
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_KEYS = 100_000;
/** The window of 451 MI:SFQ, as the seed documents it. */
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

/** How finely a window is cut: an event counts until its bucket, 1/120 of the window wide, has left the window. */
const BUCKETS_PER_WINDOW = 120;

interface KeyCounts {
  /** Bucket start times, oldest first, from index `head` on (a deque without shifting). */
  starts: number[];
  counts: number[];
  head: number;
  total: number;
}

/**
 * Events per key over a sliding window, kept as per-bucket counts with a running total:
 * adding and counting cost O(1) amortized and a key holds at most 120 buckets, however
 * many events a fast client sends. Hand-written because the rate limiters on npm count
 * fixed windows or need a store; the sink needs "how many in the last N seconds" per key.
 */
class SlidingCounts {
  private readonly keys = new Map<string, KeyCounts>();
  private readonly bucketMs: number;
  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
  }

  add(key: string, now: number, n = 1): void {
    const entry = this.trimmed(key, now) ?? { starts: [], counts: [], head: 0, total: 0 };
    const start = now - (now % this.bucketMs);
    const last = entry.starts.length - 1;
    if (last >= entry.head && entry.starts[last] === start) entry.counts[last]! += n;
    else {
      entry.starts.push(start);
      entry.counts.push(n);
    }
    entry.total += n;
    // Oldest-used keys go first: a Map keeps insertion order.
    this.keys.delete(key);
    this.keys.set(key, entry);
    while (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
  }

  count(key: string, now: number): number {
    return this.trimmed(key, now)?.total ?? 0;
  }

  /** The key's counts without the buckets that left the window; undefined once none is left. */
  private trimmed(key: string, now: number): KeyCounts | undefined {
    const entry = this.keys.get(key);
    if (!entry) return undefined;
    while (entry.head < entry.starts.length && now - entry.starts[entry.head]! >= this.windowMs + this.bucketMs) {
      entry.total -= entry.counts[entry.head]!;
      entry.head++;
    }
    if (entry.head === entry.starts.length) {
      this.keys.delete(key);
      return undefined;
    }
    // Drop the consumed front now and then, so the arrays stay as long as the window.
    if (entry.head > BUCKETS_PER_WINDOW) {
      entry.starts.splice(0, entry.head);
      entry.counts.splice(0, entry.head);
      entry.head = 0;
    }
    return entry;
  }
}

export class SinkCounters {
  private readonly open = new Map<string, number>();
  readonly messagesByIp: SlidingCounts;
  readonly messagesByIpToday = new SlidingCounts(DAY_MS);
  readonly messagesBySender = new SlidingCounts(DAY_MS);
  readonly messagesBySenderShort = new SlidingCounts(FIFTEEN_MINUTES_MS);
  readonly recipientsBySenderShort = new SlidingCounts(FIFTEEN_MINUTES_MS);
  readonly connectionsBySender = new SlidingCounts(DAY_MS);
  readonly authFailuresByAccount = new SlidingCounts(DAY_MS);
  readonly recipientsBySender = new SlidingCounts(DAY_MS);
  readonly authFailuresByIp = new SlidingCounts(DAY_MS);
  readonly unknownRecipientsByIp = new SlidingCounts(DAY_MS);

  constructor(windowSeconds: number) {
    this.messagesByIp = new SlidingCounts(windowSeconds * 1000);
  }

  /** Opens a connection from `ip`; returns how many were already open. */
  connect(ip: string): number {
    const before = this.open.get(ip) ?? 0;
    this.open.set(ip, before + 1);
    return before;
  }

  disconnect(ip: string): void {
    const now = (this.open.get(ip) ?? 1) - 1;
    if (now <= 0) this.open.delete(ip);
    else this.open.set(ip, now);
  }
}
