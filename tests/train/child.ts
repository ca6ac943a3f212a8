/**
 * Child process for the kill-and-resume test: trains the tiny reference run into OUT with a
 * checkpoint every CKPT steps, sleeping DELAY ms per step so the parent can SIGKILL it mid-way.
 * usage: tsx tests/train/child.ts OUT CKPT DELAY
 */
import * as tf from '@tensorflow/tfjs';
import { train } from '../../lib/train/trainer';
import { createTinyEncoder } from './tiny-encoder';
import { tinyGroups, tinyOptions } from './setup';

async function main(): Promise<void> {
  const [out, ckpt, delay] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const model = createTinyEncoder({ seed: 3 });
  await train(model, tinyGroups(), tinyOptions({
    outDir: out,
    checkpointEvery: Number(ckpt),
    onStep: () => new Promise((r) => setTimeout(r, Number(delay))),
  }));
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
