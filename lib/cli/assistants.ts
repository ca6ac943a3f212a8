/**
 * `mta4dpr assistants --config FILE [--json]`: quality of the configured teacher and assistants, their
 * distances to the teacher, and whether the fused assistant is closer than the assistants.
 */
import type { Command } from '../cli';
import { parseFlags, requireFlag } from './args';
import { ensureWritableFolder, lockFolder } from '../io';
import { loadAssistantsConfig } from '../assistants/config';
import { assistantsReport, formatAssistantsReport } from '../assistants/report';

const USAGE = 'mta4dpr assistants --config FILE [--json]';

export const command: Command = {
  summary: 'teacher/assistant quality, distances to the teacher, fused vs individual assistants',
  async run(argv: string[]): Promise<number> {
    const flags = parseFlags(argv, { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
    if (flags.help) {
      console.log(`usage: ${USAGE}\n\nConfig keys: dataset, teacher, assistants, candidates, distribution, fusion, missing, selection, cacheDir (see configs/assistants-dl19.json).`);
      return 0;
    }
    const config = await loadAssistantsConfig(requireFlag(flags, 'config', USAGE));
    // The only folder this command writes is its score cache: one writer at a time, checked first.
    const lock = config.cacheDir === undefined ? undefined : lockFolder(ensureWritableFolder(config.cacheDir), 'mta4dpr assistants');
    let full;
    try {
      full = await assistantsReport(config, {
        onProgress: flags.json ? undefined : (p) => { if (p.done === p.total) process.stderr.write(`scored ${p.total} (model, query) chunks\n`); },
      });
    } finally {
      lock?.release();
    }
    const { table: _table, ...report } = full;
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatAssistantsReport(report));
    return 0;
  },
};
