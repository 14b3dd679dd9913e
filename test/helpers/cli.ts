import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';

/** Every JSON report a test makes is held to the published schema (schema/report.schema.json). */
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')) as object);

function assertReportShape(args: string[], stdout: string): void {
  const i = args.indexOf('--format');
  if (i < 0 || args[i + 1] !== 'json' || args.includes('--output') || stdout.trim() === '' || ['explain', 'codes'].includes(args[0]!)) return;
  const json = JSON.parse(stdout) as unknown;
  if (!validateReport(json)) throw new Error(`presend ${args.join(' ')}: the JSON report does not match schema/report.schema.json: ${JSON.stringify(validateReport.errors?.slice(0, 3))}`);
}

const bin = resolve('bin/presend.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** When each stdout chunk arrived, in ms since the start: streaming output arrives in several. */
  chunkTimes: number[];
  closedAt: number;
}

/** Runs the built CLI (bin/presend.js → dist/) as a user would; asynchronous so a test DNS server keeps answering. */
export function presend(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string, cwd?: string): Promise<CliResult> {
  return new Promise((done, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', ...env } });
    let stdout = '';
    let stderr = '';
    const chunkTimes: number[] = [];
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      chunkTimes.push(Date.now() - started);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        assertReportShape(args, stdout);
      } catch (err) {
        reject(err);
        return;
      }
      done({ status, stdout, stderr, chunkTimes, closedAt: Date.now() - started });
    });
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}
