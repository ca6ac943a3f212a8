/**
 * The `mta4dpr` command line: a table of subcommands, each in its own module under lib/cli/,
 * loaded lazily so `--help` stays fast and a broken optional dependency only affects its command.
 */
import { UsageError } from './cli/args';
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

/** Loads a subcommand module; the path is computed so a command not built yet is simply absent. */
async function loadCommand(file: string): Promise<Command> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`./cli/${file}`) as { command: Command }).command;
}

async function availableCommands(): Promise<Array<[string, Command]>> {
  const out: Array<[string, Command]> = [];
  for (const [name, file] of Object.entries(commands)) {
    try {
      out.push([name, await loadCommand(file)]);
    } catch (e) {
      // A command whose module is not built yet is not listed; anything else is a real error.
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    }
  }
  return out;
}

/** Prints the top-level help. */
async function printHelp(): Promise<void> {
  const lines = ['usage: mta4dpr <command> [flags]', '', 'commands:'];
  for (const [name, cmd] of await availableCommands()) lines.push(`  ${name.padEnd(12)} ${cmd.summary}`);
  lines.push('', 'Run `mta4dpr <command> --help` for the flags of one command.');
  console.log(lines.join('\n'));
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await printHelp();
    return name === undefined ? 2 : 0;
  }
  const file = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!file) {
    console.error(`mta4dpr: unknown command '${name}'. Run 'mta4dpr --help' for the list.`);
    return 2;
  }
  try {
    const cmd = await loadCommand(file);
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`mta4dpr ${name}: ${e.message}`);
      if (e.usage) console.error(`usage: ${e.usage}`);
      return 2;
    }
    // Bad input files, unwritable outputs and a folder held by another run are user errors: no stack.
    if (e instanceof InputError || e instanceof OutputError || e instanceof LockedError) {
      console.error(`mta4dpr ${name}: ${e.message}`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(`cli/${name}`)) {
      console.error(`mta4dpr: command '${name}' is not built in this version.`);
      return 2;
    }
    console.error(`mta4dpr ${name}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
