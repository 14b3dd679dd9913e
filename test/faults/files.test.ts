/**
 * Fault injection, draft and file side: hostile drafts the tests build themselves,
 * hostile paths (devices, symlinks to them, endless stdin), hostile configs, and an
 * output that goes away. Each case asserts the verdict or the one-line error, the exit
 * status, and that it ends.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presend } from '../helpers/cli.js';
import { draft, forwarded, windowsExecutable, zipOf } from '../helpers/drafts.js';

const dir = mkdtempSync(join(tmpdir(), 'presend-faults-'));
const made = [dir];
/** A folder of its own for a test that runs presend inside it (config discovery). */
const project = (prefix: string) => {
  const path = mkdtempSync(join(tmpdir(), prefix));
  made.push(path);
  return path;
};
afterAll(() => {
  for (const path of made) rmSync(path, { recursive: true, force: true });
});
const write = (name: string, bytes: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

interface JsonReport {
  verdict: string;
  error?: string;
  findings: { rule: string; severity: string; code: string | null }[];
}
async function emlJson(files: string[], extra: string[] = []) {
  const r = await presend(['eml', ...files, '--offline', '--format', 'json', ...extra]);
  return { ...r, reports: (JSON.parse(r.stdout) as { reports: JsonReport[] }).reports };
}

describe('hostile drafts', () => {
  it('a zip renamed data.dat (octet-stream) holding a .scr is found by its bytes', async () => {
    const path = write('renamed.eml', draft({}, [{ type: 'application/octet-stream', filename: 'data.dat', content: await zipOf({ 'invoice.scr': windowsExecutable() }) }]));
    const { status, reports } = await emlJson([path]);
    expect(status).toBe(1);
    expect(reports[0]!.findings).toContainEqual(expect.objectContaining({ rule: 'attachment-forbidden', code: '552 Illegal Attachment' }));
  });

  it('a program named photo.jpg and declared image/jpeg is a warning', async () => {
    const path = write('photo.eml', draft({}, [{ type: 'image/jpeg', filename: 'photo.jpg', content: windowsExecutable() }]));
    const { reports } = await emlJson([path]);
    expect(reports[0]!.findings).toContainEqual(expect.objectContaining({ rule: 'attachment-content-disguised', severity: 'warning' }));
  });

  it.each([4, 5, 8])('a .scr forwarded %i deep is found, or the report says what was not inspected', async (depth) => {
    const inner = draft({}, [{ type: 'application/octet-stream', filename: 'x.scr', content: windowsExecutable() }]);
    const path = write(`fwd${depth}.eml`, forwarded(inner, depth, true));
    const { reports } = await emlJson([path]);
    const rules = reports[0]!.findings.map((f) => f.rule);
    expect(reports[0]!.verdict).not.toBe('pass');
    expect(rules).toContain(depth <= 4 ? 'attachment-forbidden' : 'part-not-inspected');
  });

  it('45,000 recipients in one To header (over 1 MB) is the recipients finding, not unreadable', async () => {
    const to = Array.from({ length: 45_000 }, (_, i) => `recipient.number${i}@163.com`).join(', ');
    const path = write('recipients.eml', draft({ To: to }));
    const { status, reports } = await emlJson([path]);
    expect(status).toBe(1);
    expect(reports[0]!.findings).toContainEqual(expect.objectContaining({ rule: 'recipients-limit', code: '550 RP:RCL' }));
  });

  it('a missing and an empty file among good drafts: every good draft reported, each bad one an error entry, exit 2', async () => {
    const good = write('good.eml', draft({}));
    const empty = write('empty.eml', '');
    const { status, reports, stderr } = await emlJson([good, join(dir, 'missing.eml'), empty]);
    expect(status).toBe(2);
    expect(reports.map((r) => r.verdict)).toEqual(['pass', 'error', 'error']);
    expect(reports[1]!.error).toContain('ENOENT');
    expect(reports[2]!.error).toContain('empty file');
    expect(stderr.trim().split('\n')).toHaveLength(2);
  });

  it('check goes on past an unreadable draft and still writes its SARIF', async () => {
    const folder = project('presend-check-');
    writeFileSync(join(folder, 'a.eml'), draft({}));
    writeFileSync(join(folder, 'b.eml'), '');
    writeFileSync(join(folder, 'presend.config.yaml'), 'offline: true\ntargets:\n  drafts:\n    - { path: "*.eml" }\n');
    const r = await presend(['check', '--format', 'sarif', '--output', 'out.sarif'], {}, undefined, folder);
    expect(r.status).toBe(2);
    const sarif = JSON.parse((await import('node:fs')).readFileSync(join(folder, 'out.sarif'), 'utf8')) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[] }[] };
    expect(sarif.runs[0]!.invocations[0]).toMatchObject({ executionSuccessful: false, toolExecutionNotifications: [expect.objectContaining({ level: 'error' })] });
  });

  it('no From and no Return-Path: no invented null sender', async () => {
    const path = write('nofrom.eml', draft({ From: '' }));
    const { reports } = await emlJson([path]);
    const rules = reports[0]!.findings.map((f) => f.rule);
    expect(rules).not.toContain('sender-not-null');
    expect(rules).toContain('from-header-valid');
  });
});

describe('hostile paths and inputs are one clear line, at once', () => {
  const zeroLink = join(dir, 'zero.yaml');
  symlinkSync('/dev/zero', zeroLink);
  const cases: [string, string[]][] = [
    ['--zone /dev/zero', ['domain', 'a.example', '--offline', '--zone', '/dev/zero']],
    ['--config via a symlink to /dev/zero', ['domain', 'a.example', '--offline', '--config', zeroLink]],
    ['--file /dev/zero', ['domain', '--file', '/dev/zero', '--offline']],
    ['explain --file /dev/zero', ['explain', '--file', '/dev/zero']],
    ['explain --profile /dev/zero', ['explain', '550 MI:SPF', '--profile', '/dev/zero']],
    ['a FIFO-like device as a draft', ['eml', '/dev/zero', '--offline']],
    ['--timeout 2147483648', ['domain', 'a.example', '--offline', '--timeout', '2147483648']],
  ];
  it.each(cases)('%s', async (_name, args) => {
    const r = await presend(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a regular file|at most|larger than/);
    noStack(r.stderr);
  });

  it('a discovered presend.config.yaml that links to /dev/zero is refused, not read forever', async () => {
    const folder = project('presend-link-');
    symlinkSync('/dev/zero', join(folder, 'presend.config.yaml'));
    const r = await presend(['check'], {}, undefined, folder);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a regular file');
  });

  it('endless standard input to --file - stops at the cap', async () => {
    const r = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn('sh', ['-c', `yes example.com | "${process.execPath}" "${resolve('bin/presend.js')}" domain --file - --offline`]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => done({ status, stderr }));
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('larger than the 64 MiB');
  });

  it('a YAML alias bomb is bad input, not an internal error', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'targets: { domains: [{ domain: a.example }] }'].join('\n');
    const r = await presend(['check', '--config', write('bomb.yaml', bomb)]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a config timeout past ten minutes is bad input', async () => {
    const r = await presend(['check', '--config', write('slow.yaml', 'timeout: 2147483648\ntargets: { domains: [{ domain: a.example }] }\n')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('timeout');
  });

  it('40,000 rule keys are read in linear time (refused for naming no rule, not after a minute)', async () => {
    const rules = Array.from({ length: 40_000 }, (_, i) => `  r${i}: off`).join('\n');
    const started = Date.now();
    const r = await presend(['check', '--config', write('many.yaml', `targets: { domains: [{ domain: a.example }] }\nrules:\n${rules}\n`)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no rule is called "r0"');
    // A hang guard, not a benchmark: quadratic parsing took 12 s here.
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});

describe('an output that goes away', () => {
  it('a reader that closes early (| head -1): quiet, no stack trace', async () => {
    const r = await new Promise<{ stderr: string }>((done) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${resolve('bin/presend.js')}" codes | head -1 >/dev/null`]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', () => done({ stderr }));
    });
    expect(r.stderr).toBe('');
  });

  it('a full disk (/dev/full) is one line and exit 2', async () => {
    const r = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${resolve('bin/presend.js')}" codes > /dev/full`]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => done({ status, stderr }));
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('presend: cannot write to standard output (ENOSPC)');
  });

  it.each([
    ['a report', 'codes', 0],
    ['a report whose exit status is the answer', 'eml fixtures/drafts/attachment-bat.eml --offline', 1],
  ])('the null device (> /dev/null), %s: written, the exit status kept', async (_case, args, status) => {
    const r = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${resolve('bin/presend.js')}" ${args} > /dev/null`]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => done({ status: code, stderr }));
    });
    expect(r).toEqual({ status, stderr: '' });
  });
});
