/**
 * A real headless Chromium (Debian's `chromium`, driven by playwright-core with its
 * executable path; `.ci/run` installs it with apt), axe-core run inside the page, and
 * screenshots written under test-output/. Without the browser the tests that need it skip.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const candidates = [process.env.PRESEND_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => typeof p === 'string');
export const chromiumPath = candidates.find((p) => existsSync(p));

export async function launch(): Promise<Browser> {
  // As root (CI) Chromium's own sandbox cannot start; the pages opened here are the project's own.
  return chromium.launch({ executablePath: chromiumPath!, headless: true, args: ['--no-sandbox'] });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the pages' CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const outputDir = join(process.cwd(), 'test-output');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(outputDir, { recursive: true });
  const path = join(outputDir, name);
  await page.screenshot({ path, fullPage: false });
  return path;
}
