/** Colour where a person reads a terminal (or where asked for), never where NO_COLOR says no. */
export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const plain = (s: string) => s;
    return { bold: plain, red: plain, yellow: plain, blue: plain, green: plain, dim: plain };
  }
  return { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), green: wrap(32, 39), dim: wrap(2, 22) };
}

export type ColorChoice = 'auto' | 'always' | 'never';

/**
 * `--color always|never` wins; with `auto`, FORCE_COLOR decides when set, as Node reads it
 * (`''`, `1`, `2`, `3` and `true` force colour, even in a CI log; any other value, `0` and
 * `false` included, turns it off), then NO_COLOR (non-empty, no-color.org) turns it off,
 * and otherwise a terminal that is not "dumb" gets colour.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, choice: ColorChoice = 'auto'): boolean {
  if (choice !== 'auto') return choice === 'always';
  if (env.FORCE_COLOR !== undefined) return ['', '1', '2', '3', 'true'].includes(env.FORCE_COLOR);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
