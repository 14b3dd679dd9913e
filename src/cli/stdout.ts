/**
 * Standard output as presend writes it. A pipe, a file or the null device (a CI log, `| jq`,
 * a benchmark, `> /dev/null`) is written with fs.writeSync on descriptor 1: Node's
 * process.stdout is a socket stream for a pipe, a synchronous file stream for the null
 * device, and either costs 2.5–4 ms to set up, a tenth of a short command's own start-up.
 * A terminal, and anything else, goes through process.stdout, which also writes Windows
 * consoles' Unicode right. Either way a reader that went away (`| head -1`) ends the run
 * quietly with its exit status, and any other failed write (a full disk) is one line on
 * stderr and exit 2, never a stack trace.
 */
import { fstatSync, statSync, writeSync, type Stats } from 'node:fs';

let direct: boolean | undefined;

/**
 * The null device (`> /dev/null`, a script that wants only the exit status): a character
 * device, as a terminal is, but no terminal — told apart by its device number, without
 * loading node:tty. Where there is no /dev/null (Windows) nothing is.
 */
function isNullDevice(stat: Stats): boolean {
  if (!stat.isCharacterDevice()) return false;
  try {
    return statSync('/dev/null').rdev === stat.rdev;
  } catch {
    return false;
  }
}

/** A pipe, a file, a socket or the null device: written directly. */
function writesDirectly(): boolean {
  if (direct === undefined) {
    try {
      const stat = fstatSync(1);
      direct = stat.isFIFO() || stat.isFile() || stat.isSocket() || isNullDevice(stat);
    } catch {
      direct = false;
    }
  }
  return direct;
}

function stopOnWriteError(err: NodeJS.ErrnoException): never {
  if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  try {
    process.stderr.write(`presend: cannot write to standard output (${err.code ?? err.message})\n`);
  } finally {
    process.exit(2);
  }
}

let guarded = false;

/** process.stdout, for what writes as it goes (NDJSON lines, the sink's log), with the failures above handled. */
export function stdoutStream(): NodeJS.WriteStream {
  if (!guarded) {
    guarded = true;
    process.stdout.on('error', stopOnWriteError);
  }
  return process.stdout;
}

/** Whether standard output is a terminal (for colour), without setting up process.stdout for a pipe or a file. */
export function stdoutIsTTY(): boolean {
  return !writesDirectly() && Boolean(process.stdout.isTTY);
}

/** Text written whole, before the run ends (a report, help, the version). */
export function writeStdout(text: string): void {
  if (!writesDirectly()) {
    stdoutStream().write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (err) {
    // A pipe its reader made non-blocking is full: the stream waits for it instead.
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') stdoutStream().write(bytes.subarray(written));
    else stopOnWriteError(err as NodeJS.ErrnoException);
  }
}
