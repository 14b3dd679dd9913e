/**
 * Which catalogues could know a reply, told before they are loaded. `presend explain` reads
 * a reply against every provider's profile, and loading five profiles was most of its run
 * (≈ 10 ms of 25 on Node 24). The build writes, beside each compiled profile, everything a
 * reply is recognised by (scripts/compile-profiles.js): every entry's needles, as
 * identify() looks for them; every code, for a reply known by its status and enhanced
 * status alone; the provider's marks and host patterns, as explainAcross() tells a provider
 * by. A catalogue none of whose needles, codes or marks the paste holds can neither know the
 * reply nor claim it, so it is not loaded; a reply no shortlisted catalogue knows or claims
 * is read against all of them (its nearest codes come from every catalogue). The answer is
 * the one explainAcross gives over every catalogue: test/explain/shortlist.test.ts holds
 * them equal over every code, alias and bounce presend ships.
 */
import { fileLimits, readRegularFile } from '../files.js';
import type { Lang } from '../engine/types.js';
import { readCompiled } from '../profile/compiled.js';
import { loadProfiles, rulesDir, type Profile } from '../profile/load.js';
import type { ProfileFile } from '../profile/schema.js';
import { readablePart } from './bounds.js';
import { explain, readAcross, type Explanation } from './explain.js';
import { diagnosticLines, needles } from './identify.js';
import { plainPaste, statusesWithEnhanced } from './paste.js';

export interface Shortlist {
  /** Every entry's needles, lower-cased. */
  needles: string[];
  /** Every code, status first. */
  codes: string[];
  /** The provider's marks and host patterns (regular expressions, matched in any case). */
  marks: string[];
}

/** What the build writes for a profile (dist/rules/<name>.shortlist.json). */
export function shortlistOf(profile: ProfileFile): Shortlist {
  return {
    needles: [...new Set(profile.codes.flatMap(needles).map((n) => n.toLowerCase()))],
    codes: profile.codes.map((c) => c.code),
    marks: [...profile.marks, ...profile.hosts.map((h) => h.pattern)],
  };
}

/** What a paste is read for, once for every shortlist: as pasted (for marks), and each reading identify() makes of it. */
export interface PasteClues {
  text: string;
  /** A DSN's diagnostic lines, then the whole paste, each made plain and lower-cased. */
  readings: string[];
  /** The start of a code a reading holds by its status and enhanced status (`550 5.7.1 `). */
  statusPrefixes: string[];
}

export function pasteClues(text: string): PasteClues {
  const lines = [...diagnosticLines(text), text].map(plainPaste);
  const statusPrefixes = lines.flatMap((line) => {
    const read = statusesWithEnhanced(line)[0];
    return read ? [`${read.status} ${read.enhanced} `] : [];
  });
  return { text, readings: lines.map((line) => line.toLowerCase()), statusPrefixes };
}

/** Whether a catalogue with this shortlist could know the paste, or claim it by its marks. */
export function couldKnow(clues: PasteClues, shortlist: Shortlist): boolean {
  return (
    shortlist.marks.some((pattern) => new RegExp(pattern, 'i').test(clues.text)) ||
    clues.readings.some((lower) => shortlist.needles.some((needle) => lower.includes(needle))) ||
    clues.statusPrefixes.some((prefix) => shortlist.codes.some((code) => code.startsWith(prefix)))
  );
}

/** The shortlist the build wrote for this profile, or null (a profile of one's own, or a YAML edited since the build). */
export function compiledShortlist(file: string): Shortlist | null {
  try {
    return readCompiled<Shortlist>(file, rulesDir, readRegularFile(file, `profile ${file}`, fileLimits.profile), undefined, 'shortlist');
  } catch {
    // Unreadable: loadProfiles says why.
    return null;
  }
}

/** Where explainFiles finds a profile's shortlist and loads profiles: the build's, and loadProfiles, unless a test says otherwise. */
export interface ProfileSource {
  shortlistFor(file: string): Shortlist | null;
  load(files: readonly string[]): Promise<Profile[]>;
}

const built: ProfileSource = { shortlistFor: compiledShortlist, load: loadProfiles };

/** A reply explained against the profiles at these paths, loading only those that could know it; and the profiles loaded. */
export async function explainFiles(text: string, files: readonly string[], lang: Lang, source: ProfileSource = built): Promise<{ explanation: Explanation; profiles: Profile[] }> {
  const { shortlistFor, load } = source;
  text = readablePart(text);
  if (files.length === 1) {
    const profiles = await load(files);
    return { explanation: explain(text, profiles[0]!, lang), profiles };
  }
  const clues = pasteClues(text);
  const shortlisted = files.filter((file) => {
    const shortlist = shortlistFor(file);
    return shortlist === null || couldKnow(clues, shortlist);
  });
  if (shortlisted.length > 0 && shortlisted.length < files.length) {
    const profiles = await load(shortlisted);
    const explanation = readAcross(text, profiles, lang);
    // Known, or claimed by one provider's marks: what every catalogue would say too.
    if (explanation.known || explanation.providerBy === 'marks') return { explanation, profiles };
  }
  const profiles = await load(files);
  return { explanation: readAcross(text, profiles, lang), profiles };
}
