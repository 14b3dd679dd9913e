/**
 * Drafts the tests build themselves: real RFC 5322 messages with real zips (yazl, the
 * writer beside yauzl), nested forwards and long headers, so hostile cases need no
 * binary fixtures and say in code what they hold.
 */
import { ZipFile } from 'yazl';

/** A real zip holding these files (stored or deflated by yazl). */
export function zipOf(files: Record<string, Buffer | string>, compress = true): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { compress });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export interface Part {
  type: string;
  filename?: string;
  content: Buffer | string;
  /** A forwarded message is sent as is unless this asks for base64, as some clients send it. */
  base64?: boolean;
}

function base64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** A multipart/mixed draft: a text part, then each part (base64 unless it is a message). */
export function draft(headers: Record<string, string>, parts: Part[] = [], text = 'Hello,\r\nthe report is attached.\r\n'): Buffer {
  const head = {
    From: 'News <news@shop.example>',
    To: 'someone@163.com',
    Subject: 'Monthly report',
    Date: 'Mon, 02 Mar 2026 10:00:00 +0800',
    'Message-ID': '<m1@shop.example>',
    'MIME-Version': '1.0',
    ...headers,
  };
  const lines = Object.entries(head)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  if (parts.length === 0) return Buffer.from([...lines, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n'));
  const boundary = 'b-presend-test';
  const body = [`--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', text];
  for (const part of parts) {
    body.push(`--${boundary}`, `Content-Type: ${part.type}${part.filename ? `; name="${part.filename}"` : ''}`);
    if (part.type === 'message/rfc822' && !part.base64) body.push('Content-Disposition: attachment', '', String(part.content));
    else body.push(`Content-Disposition: attachment${part.filename ? `; filename="${part.filename}"` : ''}`, 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content)));
  }
  body.push(`--${boundary}--`, '');
  return Buffer.from([...lines, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...body].join('\r\n'));
}

/** `inner` forwarded `depth` times: each level a message/rfc822 part of the next. */
export function forwarded(inner: Buffer, depth: number, base64 = false): Buffer {
  let message = inner;
  for (let level = 0; level < depth; level++) {
    message = draft({ Subject: `Fwd (${level + 1})`, 'Message-ID': `<fwd${level}@shop.example>` }, [{ type: 'message/rfc822', content: base64 ? message : message.toString('latin1'), base64 }], 'Forwarded.\r\n');
  }
  return message;
}

/** The first bytes of a Windows executable (MZ and a PE offset), enough for a sniffer. */
export function windowsExecutable(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

/** An ELF header (Linux executable). */
export function elfExecutable(): Buffer {
  const bytes = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(bytes);
  return bytes;
}
