/**
 * How many DNS questions may be on the wire at once: additive increase while answers
 * come back, multiplicative decrease on a timeout (at most once per timeout period),
 * between a floor and a ceiling. A fixed window either overruns a fragile resolver or
 * leaves a fast one idle; this one finds the rate the resolver sustains.
 */
export interface WindowOptions {
  initial: number;
  min: number;
  max: number;
  /** Halving again sooner than this after the last halving would punish one burst twice. */
  coolDownMs: number;
}

/**
 * The floor is the start: a resolver that does not answer at all (every question times
 * out) must not be asked one question at a time, or a dead server turns a 2-second run
 * into a 45-second one. `--max-inflight` lowers both for a resolver that needs it.
 */
export const defaultWindow: WindowOptions = { initial: 32, min: 32, max: 1024, coolDownMs: 1000 };

export class InFlightWindow {
  private limitValue: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private lastDecrease = 0;
  private options: WindowOptions;

  constructor(options: WindowOptions = defaultWindow) {
    this.options = options;
    this.limitValue = options.initial;
  }

  get limit(): number {
    return Math.floor(this.limitValue);
  }

  /** `--max-inflight`: a ceiling for a resolver that cannot take more. */
  cap(max: number): void {
    this.options = { ...this.options, max, initial: Math.min(this.options.initial, max), min: Math.min(this.options.min, max) };
    this.limitValue = Math.min(this.limitValue, max);
  }

  async run<T>(work: () => Promise<T>, congested: (result: T) => boolean): Promise<T> {
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      const result = await work();
      if (congested(result)) this.decrease();
      else this.increase();
      return result;
    } finally {
      this.active--;
      this.release();
    }
  }

  /** Slow start (one more per answer) until the first timeout; then one more per √limit answers. */
  private increase(): void {
    const step = this.lastDecrease === 0 ? 1 : 1 / Math.sqrt(this.limitValue);
    this.limitValue = Math.min(this.options.max, this.limitValue + step);
  }

  private decrease(): void {
    const now = Date.now();
    if (now - this.lastDecrease < this.options.coolDownMs) return;
    this.lastDecrease = now;
    this.limitValue = Math.max(this.options.min, this.limitValue / 2);
  }

  /** Wakes as many waiters as now fit; each checks again, so waking one too many costs nothing. */
  private release(): void {
    for (let free = this.limit - this.active; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()!();
  }
}
