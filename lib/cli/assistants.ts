/**
 * `mta4dpr assistants --config FILE [--row NAME] [--json]`: quality of an experiment's teacher and
 * assistants on its training split, their distances to the teacher, and whether the fused
 * assistant is closer than the assistants.
 */
import type { Command } from '../cli';
import { parseFlags, requireFlag } from './args';
import { formatAssistantsReport } from '../assistants/report';
import { experimentAssistantsReport } from '../pipeline/assistantsReport';
import { loadCheckedExperiment } from '../pipeline/validate';

const USAGE = 'mta4dpr assistants --config FILE [--row NAME] [--json]';

export const command: Command = {
  summary: 'teacher/assistant quality, distances to the teacher, fused vs individual assistants',
  async run(argv: string[]): Promise<number> {
    const flags = parseFlags(argv, { config: { type: 'string' }, row: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
    if (flags.help) {
      console.log(`usage: ${USAGE}\n\nReads an experiment config (e.g. configs/dl-demo.json, configs/assistants-dl19.json): the teacher,\nassistants, candidates, distribution, fusion, missing and selection of the base config or of --row NAME,\nreported on its data.train split.`);
      return 0;
    }
    const experiment = loadCheckedExperiment(requireFlag(flags, 'config', USAGE));
    const { table: _table, ...report } = await experimentAssistantsReport(experiment, {
      row: typeof flags.row === 'string' ? flags.row : undefined,
      onProgress: flags.json ? undefined : (p) => { if (p.done === p.total) process.stderr.write(`scored ${p.total} (model, query) chunks\n`); },
    });
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatAssistantsReport(report));
    return 0;
  },
};
