/**
 * Child process for kill-and-resume fault tests: trains the tiny reference run with a random
 * per-batch assistant (so the selection RNG matters) into OUT, a checkpoint every 3 steps, DELAY ms
 * per step; writes OUT/result.json at the end. With SLOW_CHECKPOINT_MS set, the rename that
 * completes a checkpoint waits that long after printing "WRITING <step>", so the parent can SIGKILL
 * the process in the middle of a checkpoint write (fault injection; the library is not changed).
 * usage: tsx train-child.ts OUT DELAY [resume]
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { writeJsonAtomic } from '../../lib/io';
import { assistantSelector } from '../../lib/train/select-target';
import { train } from '../../lib/train/trainer';
import { createTinyEncoder } from '../train/tiny-encoder';
import { tinyGroups, tinyOptions } from '../train/setup';

const slow = Number(process.env.SLOW_CHECKPOINT_MS ?? 0);
if (slow > 0) {
  const rename = fsp.rename.bind(fsp);
  fsp.rename = async (from, to) => {
    const m = /^\.tmp-step-(\d+)-\d+$/.exec(basename(String(from)));
    if (m) {
      process.stderr.write(`WRITING ${Number(m[1])}\n`);
      await new Promise((r) => setTimeout(r, slow));
    }
    return rename(from, to);
  };
}

async function main(): Promise<void> {
  const [out, delay, resume] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const model = createTinyEncoder({ seed: 3 });
  const result = await train(model, tinyGroups(), tinyOptions({
    outDir: out, checkpointEvery: 3, resume: resume === 'resume', selectionSeed: 77,
    selectTarget: assistantSelector({ selection: { measure: 'random' } }),
    onStep: (r) => new Promise((res) => { process.stderr.write(`STEP ${r.step}\n`); setTimeout(res, Number(delay)); }),
  }));
  const { resumedFrom: _r, lastRecord: _l, ...recorded } = result;
  await writeJsonAtomic(join(out, 'result.json'), { ...recorded, checkpointDir: undefined });
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
