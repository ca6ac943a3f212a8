/**
 * `mta4dpr train`: trains one row of an experiment config for one seed into an output folder —
 * steps/ (each iteration resumable from its checkpoints), summary.json and the final model in HF
 * format. A rerun into the same folder reuses the finished iterations.
 */
import type { Command } from '../cli';
import { intFlag, parseFlags, requireFlag } from './args';
import { formatAdapter, initBackend, type BackendRequest } from '../backend';
import { ensureWritableFolder, lockFolder } from '../io';
import { loadCheckedExperiment } from '../pipeline/validate';
import { trainRow } from '../pipeline/trainRow';
import { DivergenceError } from '../train/trainer';

const USAGE = 'mta4dpr train --config FILE --row NAME --out DIR [--seed N] [--max-steps N] [--backend auto|tensorflow-gpu|tensorflow|webgpu|wasm|cpu] [--no-progress]';

const HELP = `usage: ${USAGE}

  --config FILE     experiment config (JSON; unknown keys are errors), e.g. configs/dl-demo.json
  --row NAME        the row (a 'trained' system) to train, e.g. "KD (teacher only)"
  --out DIR         output folder: steps/ (resumable), manifest.json, summary.json, final/ (HF format);
                    rerunning into it resumes (finished iterations are reused)
  --seed N          seed (default: the row's first seed)
  --max-steps N     override train.stepsPerIteration (the learning-rate schedule follows)
  --backend NAME    tfjs backend (default: auto, or MTA4DPR_BACKEND)
  --no-progress     no progress bar on stderr`;

export const command: Command = {
  summary: 'train one row of an experiment config for one seed (resumable steps, final HF model)',
  async run(argv: string[]): Promise<number> {
    const flags = parseFlags(argv, {
      config: { type: 'string' }, row: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, 'max-steps': { type: 'string' },
      backend: { type: 'string' }, 'no-progress': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    }, USAGE);
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    const configPath = requireFlag(flags, 'config', USAGE);
    const row = requireFlag(flags, 'row', USAGE);
    const out = requireFlag(flags, 'out', USAGE);
    const seed = flags.seed === undefined ? undefined : intFlag(flags, 'seed', 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, USAGE);
    const maxSteps = flags['max-steps'] === undefined ? undefined : intFlag(flags, 'max-steps', 0, 1, Number.MAX_SAFE_INTEGER, USAGE);
    const experiment = loadCheckedExperiment(configPath);
    // One writer per output folder, checked writable before any data is read.
    ensureWritableFolder(out);
    const lock = lockFolder(out, 'mta4dpr train');
    const backend = await initBackend(flags.backend ? { backend: flags.backend as BackendRequest } : {});
    console.error(`mta4dpr train: backend ${backend.backend}${backend.adapter ? ` on ${formatAdapter(backend.adapter)}` : ''}`);
    try {
      const summary = await trainRow(experiment, row, {
        outDir: out, seed, maxSteps, progress: flags['no-progress'] ? 'none' : 'auto', log: (m) => console.error(`mta4dpr train: ${m}`),
      });
      console.log(JSON.stringify({
        out, row: summary.row, seed: summary.seed, iterations: summary.iterations.map((i) => ({ iteration: i.iteration, steps: i.steps, chosen: i.chosen, heldOut: i.heldOut, replaced: i.replaced })),
        heldOut: summary.heldOut, finalModel: summary.finalModel,
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
