/** One message as the UI's detail view shows it, read from the bytes the ring holds when it is asked for. */
import type { Finding } from '../../engine/types.js';
import { messageFacts } from '../../message/read.js';
import { summary, type UiMessage, type UiSummary } from './ring.js';

const MAX_HEADERS = 300;
const MAX_TEXT_CHARS = 256 * 1024;

export interface UiDetail extends UiSummary {
  headers: { key: string; value: string }[];
  text: string;
  hasHtml: boolean;
  attachments: { path: string; filename: string | null; type: string; size: number; sniffed?: string; inside?: string[]; notInspected?: string }[];
  /** The verdict of each provider the sink answered for, with its findings. */
  providers: { provider: string; findings: Pick<Finding, 'rule' | 'severity' | 'code' | 'message' | 'remedy'>[] }[];
}

export async function detailOf(message: UiMessage): Promise<UiDetail> {
  const facts = message.raw ? await messageFacts(`sink:${message.id}`, message.raw) : undefined;
  const byProvider = new Map<string, UiDetail['providers'][number]['findings']>();
  for (const f of message.report?.findings ?? []) {
    const list = byProvider.get(f.provider) ?? [];
    list.push({ rule: f.rule, severity: f.severity, code: f.code, message: f.message, remedy: f.remedy });
    byProvider.set(f.provider, list);
  }
  return {
    ...summary(message),
    headers: (facts?.headers ?? []).slice(0, MAX_HEADERS).map((h) => ({ key: h.key, value: h.value.slice(0, 2000) })),
    text: (facts?.bodies.find((b) => b.type === 'text/plain')?.text ?? facts?.bodyText ?? '').slice(0, MAX_TEXT_CHARS),
    hasHtml: facts?.bodies.some((b) => b.type === 'text/html') ?? false,
    attachments: (facts?.attachments ?? []).slice(0, 500).map((a) => ({
      path: a.path,
      filename: a.filename,
      type: a.declaredType,
      size: a.size,
      ...(a.sniffed ? { sniffed: a.sniffed.mime } : {}),
      ...(a.archive ? { inside: a.archive.entries.slice(0, 200).map((e) => e.name) } : {}),
      ...(a.notInspected ? { notInspected: a.notInspected.en } : {}),
    })),
    providers: [...byProvider].map(([provider, findings]) => ({ provider, findings })),
  };
}

/** The message's HTML part, for the sandboxed preview (undefined when it has none). */
export async function htmlPartOf(message: UiMessage): Promise<string | undefined> {
  if (!message.raw) return undefined;
  const facts = await messageFacts(`sink:${message.id}`, message.raw);
  return facts.bodies.find((b) => b.type === 'text/html')?.text;
}
