import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { safeLine } from '../report/safe-text.js';
import { version } from '../version.js';
import { checkCommand } from './check.js';
import { codesCommand } from './codes.js';
import { domainCommand } from './domain.js';
import { emlCommand } from './eml.js';
import { explainCommand } from './explain.js';
import { sinkCommand } from './sink.js';
import { smtpCommand } from './smtp.js';
import { writeStdout } from './stdout.js';

const commands: Record<string, () => Command> = {
  domain: domainCommand,
  eml: emlCommand,
  check: checkCommand,
  explain: explainCommand,
  codes: codesCommand,
  sink: sinkCommand,
  smtp: smtpCommand,
};

/** A few real invocations under each command's help (the samples in README.md run as shown). */
const EXAMPLES: Record<string, string[]> = {
  domain: ['presend domain shop.example --ip 203.0.113.5 --helo mail.shop.example', 'presend domain --file domains.txt --format ndjson --concurrency 64', 'presend domain shop.example --ip 203.0.113.5 --offline --zone planned.zone'],
  eml: ['presend eml newsletter.eml --ip 203.0.113.5 --helo mail.shop.example', 'presend eml alert.eml --account ops@163.com', 'presend eml drafts/*.eml --offline --format sarif --output presend.sarif'],
  check: ['presend check', 'presend check --config ci/presend.config.yaml --also sarif=presend.sarif --format github'],
  explain: ['presend explain "<the reply line of the bounce>"', 'presend explain --file bounce.eml', 'pbpaste | presend explain'],
  codes: ['presend codes', 'presend codes --provider all --format json'],
  sink: ['presend sink --listen 127.0.0.1:2525 --client-ip 198.51.100.5 --log sink.ndjson', 'PRESEND_SINK_PASSWORD=… presend sink --role submission --user me@163.com'],
  smtp: ['presend smtp 127.0.0.1:2525 --mail-from news@shop.example --rcpt reader@163.com --ca-file ca.pem', 'PRESEND_SMTP_PASSWORD=… presend smtp smtp.163.com:465 --user me@163.com --rcpt friend@qq.com'],
};

/**
 * The program with the command the arguments name; none for `--version` alone; every
 * command when they name none presend has (`--help`, `help`, no words at all, a typo
 * commander suggests a fix for): building all seven with their options is a few
 * milliseconds of every run's start-up.
 */
export function buildProgram(argv: readonly string[]): Command {
  const program = new Command('presend')
    .description('Which rejections your domain, IP, HELO and draft would earn at the receiving provider (NetEase 163/126/yeah.net first) — before you send.')
    .version(version)
    .showHelpAfterError(false);
  // The program's own options are only --version and --help: the first other word is the command.
  const words = argv.slice(2);
  const named = words.find((arg) => !arg.startsWith('-'));
  const versionOnly = named === undefined && words.length > 0 && words.every((arg) => arg === '--version' || arg === '-V');
  const wanted = named !== undefined && Object.hasOwn(commands, named) ? [commands[named]!] : versionOnly ? [] : Object.values(commands);
  for (const make of wanted) program.addCommand(make());
  // Help, the version and commander's own errors are written as presend writes (cli/stdout.ts).
  // One prefix for every error line: commander's own ("error: unknown option") read as presend's.
  const output = { writeOut: writeStdout, outputError: (text: string, write: (s: string) => void) => write(text.replace(/^error: /, 'presend: ')) };
  program.exitOverride().configureOutput(output);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(output);
    const examples = EXAMPLES[command.name()];
    if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  }
  return program;
}

/** The one line for what stopped the run: a usage error's own message, anything else as an internal error. */
function stopLine(err: unknown): string {
  const message = err instanceof UsageError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
  return `presend: ${safeLine(message.split('\n')[0]!)}\n`;
}

/** Exit 2 with one line for anything that stops the run; never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  // What escapes the run's own promise (a throw inside a stream or timer callback of a
  // dependency) ends the process the same way, not with Node's stack trace.
  const escaped = (err: unknown) => {
    process.stderr.write(stopLine(err));
    process.exit(2);
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(stopLine(err));
    process.exitCode = 2;
  }
}
