/**
 * `presend explain` with no argument on a terminal asks for the paste and reads it to Ctrl-D
 * (issue 26): run in a real pseudo-terminal (Python's pty module), the paste typed, then EOT.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

const DRIVER = `
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ['NO_COLOR'] = '1'
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], 'explain'])
out = b''
def read_for(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        out += chunk
        if b'Ctrl-D' in out and b'typed' not in out:
            return
read_for(10)
os.write(fd, b'554 DT:SPM 163 smtp9,DcCowAD3 1503483104\\n')
out += b'typed'
time.sleep(0.3)
os.write(fd, b'\\x04')
read_for(10)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.stdout.write('\\nEXIT %d\\n' % os.waitstatus_to_exitcode(status))
`;

describe('explain on a terminal', () => {
  it.skipIf(!hasPython)('prompts, reads the paste to Ctrl-D, and explains it', () => {
    const run = spawnSync('python3', ['-c', DRIVER, process.execPath, resolve('bin/presend.js')], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stdout).toContain('Paste the bounce, then press Ctrl-D');
    expect(run.stdout).toMatch(/^554 DT:SPM$/m);
    expect(run.stdout).toContain('EXIT 0');
  });
});
