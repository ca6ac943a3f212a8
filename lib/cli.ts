/**
 * The `mta4dpr` command line: a table of subcommands, each in its own module under lib/cli/,
 * loaded lazily so `--help` stays fast and a broken optional dependency only affects its command.
 */
import { UsageError } from './cli/args';
import { ConfigError } from './config/errors';
import { InputError, LockedError, OutputError } from './io';

/** A subcommand module: `run` returns the process exit code. */
export interface Command {
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

/** Subcommand name → module file under lib/cli/ (each exports `command: Command`). */
const commands: Record<string, string> = {
  doctor: 'doctor',
  eval: 'eval',
  encode: 'encode',
  search: 'search',
  assistants: 'assistants',
  train: 'train',
  reproduce: 'reproduce',
  bench: 'bench',
  data: 'data',
};

/** Loads a subcommand module. */
function loadCommand(file: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`./cli/${file}`) as { command: Command }).command;
}

/** Prints the top-level help. */
function printHelp(): void {
  const lines = ['usage: mta4dpr <command> [flags]', '', 'commands:'];
  for (const [name, file] of Object.entries(commands)) lines.push(`  ${name.padEnd(12)} ${loadCommand(file).summary}`);
  lines.push('', 'Run `mta4dpr <command> --help` for the flags of one command; --debug (any command) prints stack traces.');
  console.log(lines.join('\n'));
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // --debug is global: errors then show their stack trace (by default only the message).
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name === undefined ? 2 : 0;
  }
  const file = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!file) {
    console.error(`mta4dpr: unknown command '${name}'. Run 'mta4dpr --help' for the list.`);
    return 2;
  }
  try {
    return await loadCommand(file).run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`mta4dpr ${name}: ${e.message}`);
      if (e.usage) console.error(`usage: ${e.usage}`);
      return 2;
    }
    // Config errors exit 2; bad input files, unwritable outputs and a folder held by another run exit 1; none of them is a bug, so no stack.
    const configProblem = e instanceof ConfigError;
    const userProblem = configProblem || e instanceof InputError || e instanceof OutputError || e instanceof LockedError;
    console.error(`mta4dpr ${name}: ${debug ? ((e as Error).stack ?? String(e)) : ((e as Error).message ?? String(e))}`);
    if (!debug && !userProblem) console.error('(run with --debug for the stack trace)');
    return configProblem ? 2 : 1;
  }
}
