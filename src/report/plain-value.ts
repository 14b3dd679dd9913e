/** A value as a person reads it: strings on one line, lists joined, objects as `key=value` pairs — never JSON. */
export function plainValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (typeof value !== 'object') return String(value);
  if (depth > 2) return '…';
  if (Array.isArray(value)) return value.map((v) => plainValue(v, depth + 1)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${plainValue(v, depth + 1)}`)
    .join(', ');
}

/** Evidence as `key: value` lines a person reads, each value cut at `maxLength`: the JSON report keeps them whole. */
export function evidenceLines(evidence: Record<string, unknown>, maxLength: number): string[] {
  return Object.entries(evidence)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => {
      const text = plainValue(v);
      return `${k}: ${text.length > maxLength ? `${text.slice(0, maxLength)}…` : text}`;
    });
}
