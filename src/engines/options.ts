/** `${where} <url>` and `${where} <host[:port]>`: which real filters a run asks, checked before anything runs. */
import { isIP, isLoopbackAddress } from '../ip.js';
import { UsageError } from '../errors.js';
import type { SpamdAddress } from './spamd.js';

export interface ContentEngines {
  /** rspamd's base URL (its /checkv2 is asked). */
  rspamd?: string;
  spamd?: SpamdAddress;
}

/** spamd's registered port (IANA "spamassassin"). */
const SPAMD_PORT = 783;

const isLoopback = (host: string) => host === 'localhost' || isLoopbackAddress(host.replace(/^\[|\]$/g, ''));

/** `where` names the setting in errors: the flag, or the config file's key. */
export function rspamdUrl(value: string, offline: boolean, where = '--rspamd'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where} ${JSON.stringify(value)}: not a URL (e.g. http://127.0.0.1:11333)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${where} ${value}: only http: and https: URLs`);
  if (url.username || url.password) throw new UsageError(`${where} ${value}: no credentials in the URL (rspamd's normal worker needs none)`);
  if (offline && !isLoopback(url.hostname)) throw new UsageError(`${where} ${value}: --offline allows loopback addresses only`);
  return url.href;
}

export function spamdAddress(value: string, offline: boolean, where = '--spamd'): SpamdAddress {
  const m = /^(\[[0-9a-f:.]+\]|[^:\s]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  const port = m?.[2] !== undefined ? Number(m[2]) : SPAMD_PORT;
  if (!m || port < 1 || port > 65535) throw new UsageError(`${where} ${JSON.stringify(value)}: not host[:port] (e.g. 127.0.0.1:783)`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  if (!isIP(host) && !/^[a-z0-9.-]+$/i.test(host)) throw new UsageError(`${where} ${value}: not a host name or address`);
  if (offline && !isLoopback(host)) throw new UsageError(`${where} ${value}: --offline allows loopback addresses only`);
  return { host, port };
}

/**
 * The filters a run asks: the config's (`rspamd`, `spamd` keys), each replaced by its flag
 * when one is given, every one held to --offline's loopback rule whichever set it.
 */
export function runEngines(fromConfig: ContentEngines | undefined, flags: { rspamd?: string; spamd?: string }, offline: boolean): ContentEngines {
  const configSpamd = fromConfig?.spamd && (fromConfig.spamd.host.includes(':') ? `[${fromConfig.spamd.host}]:${fromConfig.spamd.port}` : `${fromConfig.spamd.host}:${fromConfig.spamd.port}`);
  const rspamd = flags.rspamd !== undefined ? rspamdUrl(flags.rspamd, offline) : fromConfig?.rspamd !== undefined ? rspamdUrl(fromConfig.rspamd, offline, "the config's rspamd") : undefined;
  const spamd = flags.spamd !== undefined ? spamdAddress(flags.spamd, offline) : configSpamd ? spamdAddress(configSpamd, offline, "the config's spamd") : undefined;
  return { ...(rspamd !== undefined ? { rspamd } : {}), ...(spamd !== undefined ? { spamd } : {}) };
}
