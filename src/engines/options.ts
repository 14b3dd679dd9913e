/** `--rspamd <url>` and `--spamd <host[:port]>` (or the config's `rspamd:` and `spamd:`): which real filters a run asks, checked before anything runs. */
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
/** --offline connects to loopback only, whichever setting named the filter. */
function assertReachableOffline(host: string, offline: boolean, where: string, value: string): void {
  if (offline && !isLoopback(host)) throw new UsageError(`${where} ${value}: --offline allows loopback addresses only`);
}

export function rspamdUrl(value: string, offline: boolean, where = '--rspamd'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where} ${JSON.stringify(value)}: not a URL (e.g. http://127.0.0.1:11333)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${where} ${value}: only http: and https: URLs`);
  if (url.username || url.password) throw new UsageError(`${where} ${value}: no credentials in the URL (rspamd's normal worker needs none)`);
  assertReachableOffline(url.hostname, offline, where, value);
  return url.href;
}

export function spamdAddress(value: string, offline: boolean, where = '--spamd'): SpamdAddress {
  const m = /^(\[[0-9a-f:.]+\]|[^:\s]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  const port = m?.[2] !== undefined ? Number(m[2]) : SPAMD_PORT;
  if (!m || port < 1 || port > 65535) throw new UsageError(`${where} ${JSON.stringify(value)}: not host[:port] (e.g. 127.0.0.1:783)`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  if (!isIP(host) && !/^[a-z0-9.-]+$/i.test(host)) throw new UsageError(`${where} ${value}: not a host name or address`);
  assertReachableOffline(host, offline, where, value);
  return { host, port };
}

/**
 * The filters a run asks: the config's (`rspamd`, `spamd` keys, read when the config was),
 * each replaced by its flag when one is given, and the config's held to --offline's loopback
 * rule too when the flag, not the config, made the run offline.
 */
export function runEngines(fromConfig: ContentEngines | undefined, flags: { rspamd?: string; spamd?: string }, offline: boolean): ContentEngines {
  const rspamd = flags.rspamd !== undefined ? rspamdUrl(flags.rspamd, offline) : fromConfig?.rspamd;
  const spamd = flags.spamd !== undefined ? spamdAddress(flags.spamd, offline) : fromConfig?.spamd;
  if (flags.rspamd === undefined && rspamd !== undefined) assertReachableOffline(new URL(rspamd).hostname, offline, "the config's rspamd", rspamd);
  if (flags.spamd === undefined && spamd !== undefined) assertReachableOffline(spamd.host, offline, "the config's spamd", `${spamd.host}:${spamd.port}`);
  return { ...(rspamd !== undefined ? { rspamd } : {}), ...(spamd !== undefined ? { spamd } : {}) };
}
