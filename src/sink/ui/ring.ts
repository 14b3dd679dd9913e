/**
 * What the sink's UI shows: the newest transactions, held in memory up to a count and a
 * byte bound (the oldest go first), and who is listening for the next one.
 */
import { decodeWords } from 'postal-mime';
import type { Report } from '../../engine/types.js';
import type { SinkRecord } from '../server.js';

export interface UiReply {
  command: string;
  reply: string;
  stage: string;
}

export interface UiSummary {
  id: string;
  time: string;
  role: string;
  clientIp: string;
  helo: string | null;
  user: string | null;
  mailFrom: string | null;
  rcpt: string[];
  subject: string;
  size: number;
  /** The report's verdict, or null for a transaction that never delivered a message. */
  verdict: string | null;
  replies: UiReply[];
}

export interface UiMessage extends UiSummary {
  raw?: readonly Buffer[];
  report?: Report;
  /** The log line's findings (rule, severity, code, message). */
  findings: unknown[];
}

export const UI_BOUNDS = { messages: 1000, bytes: 128 * 1024 * 1024 };

/** The stage a command is: its verb (MAIL, RCPT, DATA, AUTH …), or the connection itself. */
export function stageOf(command: string): string {
  return /^[A-Za-z]+/.exec(command)?.[0]?.toUpperCase() ?? 'CONNECT';
}

/** The Subject of a message from its header section only (the first 64 KB): the list needs nothing more. */
export function subjectOf(raw: readonly Buffer[] | undefined): string {
  if (!raw || raw.length === 0) return '';
  const head = Buffer.concat(raw.slice(0, 64)).subarray(0, 64 * 1024).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  const m = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(end < 0 ? head : head.slice(0, end));
  return m ? decodeWords(m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim()).slice(0, 300) : '';
}

const sizeOf = (raw: readonly Buffer[] | undefined) => (raw ?? []).reduce((n, b) => n + b.length, 0);

export class MessageRing {
  private readonly messages: UiMessage[] = [];
  private bytes = 0;
  private readonly listeners = new Set<(event: string, data: unknown) => void>();

  constructor(private readonly bounds = UI_BOUNDS) {}

  add(record: SinkRecord): UiMessage {
    const line = record.line as Record<string, unknown> & { replies?: { command: string; reply: string }[] };
    const size = sizeOf(record.raw);
    const message: UiMessage = {
      id: String(line.transaction),
      time: String(line.time),
      role: String(line.role),
      clientIp: String(line.clientIp),
      helo: (line.helo as string | null) ?? null,
      user: (line.user as string | null) ?? null,
      mailFrom: (line.mailFrom as string | null) ?? null,
      rcpt: (line.rcpt as string[]) ?? [],
      subject: subjectOf(record.raw),
      size,
      verdict: typeof line.verdict === 'string' ? line.verdict : null,
      replies: (line.replies ?? []).map((r) => ({ command: r.command, reply: r.reply, stage: stageOf(r.command) })),
      findings: (line.findings as unknown[]) ?? [],
      // A message larger than the whole ring is listed without its bytes.
      ...(record.raw && size <= this.bounds.bytes ? { raw: record.raw } : {}),
      ...(record.report ? { report: record.report } : {}),
    };
    this.messages.push(message);
    this.bytes += message.raw ? size : 0;
    while (this.messages.length > this.bounds.messages || this.bytes > this.bounds.bytes) {
      const dropped = this.messages.shift()!;
      this.bytes -= dropped.raw ? dropped.size : 0;
    }
    this.emit('message', summary(message));
    return message;
  }

  /** Newest first. */
  list(): UiSummary[] {
    return [...this.messages].reverse().map(summary);
  }

  get(id: string): UiMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  clear(): void {
    this.messages.length = 0;
    this.bytes = 0;
    this.emit('cleared', {});
  }

  subscribe(listener: (event: string, data: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private emit(event: string, data: unknown): void {
    for (const listener of this.listeners) listener(event, data);
  }
}

export function summary(m: UiMessage): UiSummary {
  const { id, time, role, clientIp, helo, user, mailFrom, rcpt, subject, size, verdict, replies } = m;
  return { id, time, role, clientIp, helo, user, mailFrom, rcpt, subject, size, verdict, replies };
}
