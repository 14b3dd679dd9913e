/**
 * The package as published: `npm pack` (no scripts, no network), unpacked into an empty
 * project's node_modules, its runtime dependencies provided from this checkout's installed
 * ones, then run through its own bin — `codes`, a domain check and a config's drafts.
 * Catches a file left out of `files`, a dependency used but not declared, a path that only
 * works in the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const app = mkdtempSync(join(tmpdir(), 'presend-pack-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

describe('the packed tarball in an empty project', () => {
  it('installs (files and declared dependencies only) and runs', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string }[];
    const installed = join(app, 'node_modules', 'presend');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(app, packed[0]!.filename), '-C', installed, '--strip-components=1']);
    // Only what package.json declares is there: each runtime dependency, from this checkout's install.
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies)) {
      const target = join(app, 'node_modules', dep);
      mkdirSync(join(target, '..'), { recursive: true });
      symlinkSync(resolve('node_modules', dep), target, 'dir');
    }
    writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
    writeFileSync(join(app, 'shop.zone'), ['$ORIGIN shop.example.', '$TTL 300', '@ IN TXT "v=spf1 ip4:192.0.2.10 -all"', '@ IN MX 10 mx', 'mx IN A 192.0.2.10', ''].join('\n'));
    // No source maps pointing at sources that are not shipped; a LICENSE; no declaration importing a dev dependency's types.
    const shipped = execFileSync('tar', ['-tzf', join(app, packed[0]!.filename)], { encoding: 'utf8' }).split('\n');
    expect(shipped.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(shipped).toContain('package/LICENSE');
    const declarations = shipped.filter((f) => f.endsWith('.d.ts')).map((f) => readFileSync(join(installed, f.slice('package/'.length)), 'utf8'));
    expect(declarations.filter((d) => /from ['"]dns-packet['"]/.test(d))).toEqual([]);
    expect(Object.keys((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)).not.toContain('prepare');
    const bin = join(installed, 'bin', 'presend.js');
    const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

    const codes = run(['codes', '--provider', 'all', '--format', 'json']);
    expect(codes.stderr).toBe('');
    expect((JSON.parse(codes.stdout) as { profiles: unknown[] }).profiles).toHaveLength(5);
    const domain = run(['domain', 'shop.example', '--ip', '203.0.113.9', '--offline', '--zone', 'shop.zone', '--format', 'json']);
    expect(domain.status).toBe(1);
    const findings = (JSON.parse(domain.stdout) as { reports: { findings: { rule: string; code: string | null }[] }[] }).reports[0]!.findings;
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'spf-authorized', code: '550 MI:SPF' }));

    // A config whose drafts are a glob: the CLI's own dependencies (commander, tinyglobby) are bundled, not installed.
    mkdirSync(join(app, 'drafts'));
    copyFileSync('fixtures/drafts/attachment-bat.eml', join(app, 'drafts', 'cleanup.eml'));
    writeFileSync(join(app, 'presend.config.yaml'), 'provider: netease\ntargets:\n  drafts:\n    - path: "drafts/*.eml"\n');
    const check = run(['check', '--config', 'presend.config.yaml', '--offline', '--format', 'json']);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    const checked = (JSON.parse(check.stdout) as { reports: { findings: { rule: string; code: string | null }[] }[] }).reports;
    expect(checked).toHaveLength(1);
    expect(checked[0]!.findings).toContainEqual(expect.objectContaining({ rule: 'attachment-forbidden', code: '552 Illegal Attachment' }));
  });
});
