/**
 * The sink's own bounds, beside the provider's limits the profile sets: what keeps one
 * client, or a thousand, from holding the sink's memory, its connection slots or its log.
 * They hold under --accept too (which lifts the provider's limits, not these), and every
 * reply they give says it is the sink's own. docs/ lists them with their figures.
 */
export interface SinkBounds {
  /** Connections at once, from everyone (smtp-server's maxClients). */
  connections: number;
  /** A command line must arrive whole within this after the previous reply (trickling bytes do not extend it). */
  commandMs: number;
  /** The DATA phase must end within this after the 354. */
  dataMs: number;
  /** Message bytes held at once across every connection in DATA; past it a message is read and dropped, and refused with a temporary reply. */
  heldBytes: number;
  /** Bytes of one message kept, when the profile sets no size limit. */
  messageBytes: number;
  /** Recipients held in one transaction. */
  recipients: number;
  /** Replies written in one log line (the rest are counted). */
  loggedReplies: number;
  /** Recipients written in one log line (all are counted). */
  loggedRecipients: number;
  /** Bytes --store writes in one run. */
  storeBytes: number;
}

const MiB = 1024 * 1024;

export const SINK_BOUNDS: SinkBounds = {
  connections: 5_000,
  commandMs: 60_000,
  dataMs: 600_000,
  heldBytes: 512 * MiB,
  messageBytes: 64 * MiB,
  recipients: 1_000,
  loggedReplies: 100,
  loggedRecipients: 100,
  storeBytes: 1024 * MiB,
};
