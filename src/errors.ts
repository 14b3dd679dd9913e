/**
 * The run cannot be done as asked (bad option, unreadable file, broken profile):
 * the CLI prints the message as one line and exits 2, never a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
