/** Marks a UsageError wherever its class was loaded from (see below). */
const usageErrorBrand = Symbol.for('presend.UsageError');

/**
 * The run cannot be done as asked (bad option, unreadable file, broken profile):
 * the CLI prints the message as one line and exits 2, never a stack trace.
 *
 * `instanceof` checks a brand, not the class: the bundled CLI holds this module twice (once
 * beside the command definitions, once with the code they load on use, see
 * scripts/bundle.js), and an error thrown by one copy must be known to the other.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly [usageErrorBrand] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [usageErrorBrand]?: unknown })[usageErrorBrand] === true;
  }
}
