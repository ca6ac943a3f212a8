/** Test helper: the mta4dpr CLI from source (tsx), as a user runs it: `tsx tests/faults/cli.ts COMMAND ...`. */
import { main } from '../../lib/cli';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
