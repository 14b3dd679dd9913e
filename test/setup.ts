// Tests load profiles of their own (an edited rule, a hostile YAML) as the library does: with validation.
import '../src/profile/validate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Each test file gets a temporary folder of its own (os.tmpdir() reads TMPDIR, and the CLI
// processes a test starts inherit it), removed when the file's tests are done: a run leaves
// nothing behind in the shared temporary folder, whatever a test forgot to remove.
const own = mkdtempSync(join(tmpdir(), 'presend-test-'));
process.env.TMPDIR = own;
afterAll(() => rmSync(own, { recursive: true, force: true }));
