/** Where the draft's links lead, and whether their text tells the truth about it. */
import { domainToUnicode } from 'node:url';
import { isIP } from '../../ip.js';
import { hasKnownSuffix, organizationalDomain } from '../../message/organization.js';
import type { Prose } from '../../prose.js';
import type { ContentSignal, DraftLink } from './signal.js';

/** Loopback, private and link-local IPv4: a link to a router's page is not a spam sign (SpamAssassin's NORMAL_HTTP_TO_IP exempts them). */
const LOCAL_IPV4 = /^(?:10|127|169\.254|172\.(?:1[6-9]|2\d|3[01])|192\.168)\./;

/** A host that can be an IP address ends in a digit (IPv4, as the URL parser writes every IPv4 form) or a bracket (IPv6). */
const MAYBE_IP = /[\d\]]$/;

function ipHost(link: DraftLink): string | null {
  if (!link.host || !MAYBE_IP.test(link.host)) return null;
  const bare = link.host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0 || (family === 4 && LOCAL_IPV4.test(bare))) return null;
  return bare;
}

export const linkToIp: ContentSignal = {
  id: 'link-to-ip',
  family: 'links',
  observe(d) {
    const link = d.links.find((l) => ipHost(l) !== null);
    if (!link) return null;
    return {
      detail: { en: `a link goes to a bare IP address (${link.url}) rather than a domain name`, zh: `链接指向裸 IP 地址（${link.url}），而非域名` },
      evidence: { url: link.url },
    };
  },
};

/** The host or one of the domains above it is on the list (the list holds registrable domains: a suffix walk finds them without the Public Suffix List). */
function onList(host: string, list: ReadonlySet<string>): boolean {
  for (let at = -1; ; ) {
    if (list.has(at < 0 ? host : host.slice(at + 1))) return true;
    at = host.indexOf('.', at + 1);
    if (at < 0) return false;
  }
}

export const linkShortener: ContentSignal = {
  id: 'link-shortener',
  family: 'links',
  observe(d) {
    const link = d.links.find((l) => l.host && onList(l.host, d.lists.shorteners));
    if (!link) return null;
    return {
      detail: { en: `a link goes through a URL shortener (${link.host}), which hides where it leads`, zh: `链接经过短网址服务（${link.host}），隐藏了真实去向` },
      evidence: { url: link.url },
    };
  },
};

/** A domain name written in a link's text ("www.bank.com", "https://bank.com/login"). */
function domainInText(text: string): string | null {
  const m = /(?:^|[\s(<"'])(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,63})(?=$|[\s/:?#)>"',])/i.exec(text);
  if (!m) return null;
  const domain = m[1]!.toLowerCase();
  // A file name ("report.pdf") is not a domain: the suffix must be one the Public Suffix List knows.
  return hasKnownSuffix(domain) ? domain : null;
}

export const linkTextMismatch: ContentSignal = {
  id: 'link-text-mismatch',
  family: 'links',
  observe(d) {
    for (const link of d.links) {
      if (!link.host || link.text === undefined) continue;
      const shown = domainInText(link.text);
      if (!shown || ipHost(link)) continue;
      if (organizationalDomain(shown) === organizationalDomain(link.host)) continue;
      return {
        detail: { en: `a link shows ${shown} but goes to ${link.host}, the way phishing mail disguises its links`, zh: `链接显示为 ${shown}，实际却指向 ${link.host}，这是钓鱼邮件伪装链接的手法` },
        evidence: { shown, href: link.url },
      };
    }
    return null;
  },
};

const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript', 'data']);

export const linkScriptScheme: ContentSignal = {
  id: 'link-script-scheme',
  family: 'links',
  observe(d) {
    const link = d.links.find((l) => SCRIPT_SCHEMES.has(l.scheme));
    if (!link) return null;
    return {
      detail: { en: `a link runs code or carries its own document (${link.url.slice(0, 60)}): mail clients block ${link.scheme}: links and filters score them`, zh: `链接会执行代码或自带文档（${link.url.slice(0, 60)}）：邮件客户端会屏蔽 ${link.scheme}: 链接，过滤器会扣分` },
      evidence: { url: link.url.slice(0, 120) },
    };
  },
};

/**
 * Scripts a label may mix by UTS #39's "highly restrictive" level: one script, or Latin
 * with the scripts written beside it in East Asia. Anything else mixing Latin with
 * Cyrillic, Greek or another look-alike script is a homograph.
 */
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo', 'Arabic', 'Hebrew', 'Thai', 'Georgian', 'Devanagari'] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
const EAST_ASIAN = new Set(['Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo']);
/** Cyrillic and Greek letters that look like Latin ones: a label made only of them reads as a Latin word. */
const LATIN_LOOKALIKES = /^[\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb\u04cf\u051b\u051d\u03bf\u03b1\u03bd\-0-9]+$/u;

function scriptsOf(label: string): string[] {
  return SCRIPT_PATTERNS.filter(([, pattern]) => pattern.test(label)).map(([name]) => name);
}

function homographLabel(host: string): string | null {
  // Hosts are in punycode (the URL parser writes them so): only an xn-- label can hold another script.
  if (!host.includes('xn--')) return null;
  for (const label of domainToUnicode(host).split('.')) {
    if (/^[\x00-\x7f]*$/.test(label)) continue;
    const scripts = scriptsOf(label);
    const mixed = scripts.length > 1 && !(scripts.every((s) => s === 'Latin' || EAST_ASIAN.has(s)));
    if (mixed || LATIN_LOOKALIKES.test(label)) return label;
  }
  return null;
}

export const linkHomograph: ContentSignal = {
  id: 'link-homograph',
  family: 'links',
  observe(d) {
    for (const link of d.links) {
      const label = link.host ? homographLabel(link.host) : null;
      if (!label) continue;
      return {
        detail: { en: `a link's domain ${domainToUnicode(link.host!)} (${link.host}) mixes look-alike letters of other scripts ("${label}"): an IDN homograph (UTS #39)`, zh: `链接域名 ${domainToUnicode(link.host!)}（${link.host}）混用了其他文字中形似的字母（“${label}”）：IDN 同形异义攻击（UTS #39）` },
        evidence: { host: link.host, unicode: domainToUnicode(link.host!), scripts: scriptsOf(label) },
      };
    }
    return null;
  },
};

/** A host hidden from the reader: credentials before it, %-escapes in it, an IP written as one number or in hex. */
function obfuscation(url: string): Prose | null {
  const authority = /^\s*https?:\/\/([^/?#]*)/i.exec(url)?.[1];
  if (authority === undefined) return null;
  if (authority.includes('@')) return { en: 'text before an @ that reads as a host but is not', zh: '@ 之前的文字看似主机名，实则不是' };
  if (/%[0-9a-f]{2}/i.test(authority)) return { en: 'a host written in %-escapes', zh: '主机名以 % 转义书写' };
  if (/^(?:0x[0-9a-f]+|\d{8,10})(?::\d+)?$/i.test(authority) || /^(?:0x[0-9a-f]{1,2}|0\d{1,3})(?:\.|$)/i.test(authority)) {
    return { en: 'an IP address written as one number, in hex or in octal', zh: 'IP 地址写成一个整数、十六进制或八进制' };
  }
  return null;
}

export const linkObfuscated: ContentSignal = {
  id: 'link-obfuscated',
  family: 'links',
  observe(d) {
    for (const link of d.links) {
      const how = obfuscation(link.url);
      if (!how) continue;
      return {
        detail: { en: `a link hides its host (${how.en}): ${link.url.slice(0, 100)}`, zh: `链接隐藏了真实主机（${how.zh}）：${link.url.slice(0, 100)}` },
        evidence: { url: link.url.slice(0, 200), host: link.host },
      };
    }
    return null;
  },
};

export const linkSignals: readonly ContentSignal[] = [
  linkObfuscated,
  linkToIp,
  linkShortener,
  linkTextMismatch,
  linkScriptScheme,
  linkHomograph,
];
