import { joinProse, type Prose } from '../prose.js';

/** The parts a domain or an address plays in one sending, as reports name them. */
export const roles = {
  envelope: { en: 'envelope', zh: '信封发件人' },
  from: { en: 'From', zh: '信头 From' },
  helo: { en: 'HELO', zh: 'HELO' },
  link: { en: 'link', zh: '链接' },
  sendingIp: { en: 'sending IP', zh: '发信 IP' },
  envelopeSender: { en: 'envelope sender (MAIL FROM)', zh: '信封发件人（MAIL FROM）' },
  headerFrom: { en: 'header From', zh: '信头 From' },
} as const satisfies Record<string, Prose>;

/** One subject in several roles ("envelope/From"). */
export function joinRoles(parts: readonly Prose[]): Prose {
  return joinProse(parts, { en: '/', zh: '、' });
}
