/** `klappe` entry: dispatches to a command, maps errors to exit codes (2 bad input, 1 failure, 130 cancelled). */
import { setLockCommand } from '../api/project-lock.js';
import { exitCodeFor, isKlappeError } from '../common/errors.js';
import { helpText, parseCommandArgs, type CliIO } from './command.js';
import { COMMAND_LOADERS, loadAllCommands } from './commands/index.js';
import { sweepWorkDirs } from '../util/work-dir.js';
import { redactSecrets } from '../secrets/secret-store.js';

const VERSION = '0.1.0';

async function mainHelp(): Promise<string> {
  const COMMANDS = await loadAllCommands();
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'klappe: direct AI-generated films from the command line',
    '',
    'Usage: klappe COMMAND [options]   (klappe COMMAND --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit status: 0 ok, 1 failure, 2 bad input, 130 cancelled.',
  ].join('\n');
}

/**
 * A reader that went away (`klappe … | head`) ends our output, not the command:
 * later lines are dropped instead of an unhandled EPIPE crashing a render or a save.
 */
function writerTo(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

export async function main(argv: string[], io?: Partial<CliIO>): Promise<number> {
  sweepWorkDirs(); // work folders of Klappe processes that were killed
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const cli: CliIO = {
    out: io?.out ?? writerTo(process.stdout),
    err: io?.err ?? writerTo(process.stderr),
    isTTY: io?.isTTY ?? !!process.stderr.isTTY,
    signal: io?.signal ?? controller.signal,
  };
  const [name, ...rest] = argv;
  const wantsJson = rest.includes('--json');
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      cli.out(await mainHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      cli.out(VERSION);
      return 0;
    }
    const load = Object.hasOwn(COMMAND_LOADERS, name) ? COMMAND_LOADERS[name] : undefined;
    if (!load) {
      cli.err(`klappe: unknown command "${name}"\n\n${await mainHelp()}`);
      return 2;
    }
    const cmd = await load();
    setLockCommand(`klappe ${argv.join(' ')}`.slice(0, 200));
    const parsed = parseCommandArgs(cmd, rest);
    if (parsed.help) {
      cli.out(helpText(cmd));
      return 0;
    }
    return await cmd.run(parsed, cli);
  } catch (e) {
    const code = exitCodeFor(e);
    if (wantsJson)
      cli.out(
        redactSecrets(
          JSON.stringify(
            { ok: false, error: isKlappeError(e) ? e.toJSON() : { code: 'INTERNAL', message: String((e as Error)?.message ?? e) } },
            null,
            2,
          ),
        ),
      );
    if (isKlappeError(e)) {
      const where = [e.file, e.path].filter((w): w is string => !!w && !e.message.includes(w));
      cli.err(redactSecrets(`klappe: error: ${where.map((w) => `${w}: `).join('')}${e.message}`));
      for (const issue of e.issues.slice(1, 20)) cli.err(redactSecrets(`  also: ${issue.path}: ${issue.message}`));
      if (e.hint) cli.err(redactSecrets(`  hint: ${e.hint}`));
    } else {
      cli.err(redactSecrets(`klappe: internal error: ${(e as Error)?.stack ?? e}`));
    }
    return code;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
