import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own version, from the nearest package.json named presend above this
 * file: dist/, the bundled CLI in dist/cli-bundle/ and src/ all find the same one.
 */
function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const file = join(dir, 'package.json');
    // Asked first, not caught: a thrown ENOENT is slower, and every command starts here.
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'presend' && pkg.version) return pkg.version;
      } catch {
        // unreadable or not JSON: look one folder up
      }
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const version: string = readVersion();
