/** Types of scripts/postfix.js for the TypeScript tests. */
export declare const hasPostfix: boolean;

export interface PostfixOptions {
  relayPort: number;
  /** smtpd's STARTTLS certificate and key (PEM), offered when given. */
  tls?: { cert: string; key: string };
  /**
   * A second smtpd as a submission server: STARTTLS required before AUTH (needs `tls`), SASL by
   * Dovecot's auth service on this port, only logged-in clients relay, and each login may send
   * only as the addresses it owns (`reject_sender_login_mismatch`, as providers' submission
   * servers hold their users to their own address).
   */
  submission?: { saslPort: number; owners: Record<string, string> };
}

export interface RunningPostfix {
  port: number;
  /** The submission service's port, when `submission` was asked for. */
  submissionPort?: number;
  /** The instance's maillog (Postfix's own log lines). */
  log(): string;
  stop(): Promise<void>;
}

export declare function startPostfix(o: PostfixOptions): Promise<RunningPostfix>;
