/**
 * `mta4dpr train`: trains a student from a JSON config (lib/train/config.ts) into an output
 * folder — checkpoints/, metrics.jsonl, summary.json and the final model in HF format — and can
 * resume an interrupted run exactly.
 */
import type { Command } from '../cli';
import { intFlag, parseFlags, requireFlag } from './args';
import { formatAdapter, initBackend, type BackendRequest } from '../backend';
import { ensureWritableFolder, InputError, lockFolder } from '../io';
import { loadTrainConfig } from '../train/config';
import { trainFromConfig } from '../train/from-config';
import { DivergenceError } from '../train/trainer';

const USAGE = 'mta4dpr train --config FILE --out DIR [--resume] [--max-steps N] [--backend auto|tensorflow-gpu|tensorflow|webgpu|wasm|cpu] [--no-progress]';

const HELP = `usage: ${USAGE}

  --config FILE     training config (JSON; unknown keys are errors), e.g. configs/train-dl20-kd.json
  --out DIR         output folder: checkpoints/, metrics.jsonl, summary.json, final/ (HF format)
  --resume          continue from the newest checkpoint in DIR (same config required)
  --max-steps N     override train.steps (the learning-rate schedule follows)
  --backend NAME    tfjs backend (default: auto, or MTA4DPR_BACKEND)
  --no-progress     no progress bar on stderr`;

export const command: Command = {
  summary: 'train a student by distillation from a config (checkpoints, resume, metrics.jsonl)',
  async run(argv: string[]): Promise<number> {
    const flags = parseFlags(argv, {
      config: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' }, 'max-steps': { type: 'string' },
      backend: { type: 'string' }, 'no-progress': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    }, USAGE);
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    const configPath = requireFlag(flags, 'config', USAGE);
    const out = requireFlag(flags, 'out', USAGE);
    const maxSteps = flags['max-steps'] === undefined ? undefined : intFlag(flags, 'max-steps', 0, 1, Number.MAX_SAFE_INTEGER, USAGE);
    let config;
    try {
      config = loadTrainConfig(configPath);
    } catch (e) {
      if (e instanceof InputError) {
        console.error(`mta4dpr train: ${e.message}`);
        return 2;
      }
      throw e;
    }
    // One writer per output folder, checked writable before any data is read.
    ensureWritableFolder(out);
    const lock = lockFolder(out, 'mta4dpr train');
    const backend = await initBackend(flags.backend ? { backend: flags.backend as BackendRequest } : {});
    console.error(`mta4dpr train: backend ${backend.backend}${backend.adapter ? ` on ${formatAdapter(backend.adapter)}` : ''}`);
    try {
      const summary = await trainFromConfig(config, {
        outDir: out, resume: flags.resume === true, maxSteps, progress: flags['no-progress'] ? 'none' : 'auto',
        log: (m) => console.error(`mta4dpr train: ${m}`),
      });
      console.log(JSON.stringify({
        out, steps: summary.result.steps, resumedFrom: summary.resumedFrom, stoppedEarly: summary.result.stoppedEarly,
        trainQueries: summary.trainQueries, heldOutQueries: summary.heldOutQueries.length, before: summary.before, after: summary.after,
        finalLoss: summary.result.lastRecord?.loss, assistantCounts: summary.result.assistantCounts, finalModel: summary.finalModel,
      }, null, 2));
      return 0;
    } catch (e) {
      if (e instanceof DivergenceError) {
        console.error(`mta4dpr train: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      lock.release();
    }
  },
};
