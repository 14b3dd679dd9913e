import { UsageError } from '../errors.js';

export interface DomainLine {
  domain: string;
  ip?: string;
  helo?: string;
  line: number;
}

/** Far above domain (253) + IP (45) + HELO (253): a longer line is not a domain list. */
const MAX_LINE = 1024;

/** `domain[,ip[,helo]]` per line; blank lines and `#` comments are skipped. Every line is checked before any run. */
export function parseDomainList(text: string, source: string): DomainLine[] {
  const out: DomainLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.length > MAX_LINE) throw new UsageError(`${source}:${i + 1}: a line of ${raw.length} characters; a domain list line is at most ${MAX_LINE}`);
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const [domain, ip, helo, extra] = line.split(',').map((f) => f.trim());
    if (extra !== undefined) throw new UsageError(`${source}:${i + 1}: expected domain[,ip[,helo]], got ${JSON.stringify(raw.trim())}`);
    out.push({ domain: domain!, ...(ip ? { ip } : {}), ...(helo !== undefined ? { helo } : {}), line: i + 1 });
  });
  if (out.length === 0) throw new UsageError(`${source}: no domains in it`);
  return out;
}
