/**
 * Training checkpoints: model weights and AdamW moments as safetensors plus a JSON sidecar with the
 * step, data order, RNG state and evaluation history. A checkpoint is written into a temporary
 * folder and renamed into place, so a folder named step-NNNNNNNN is always complete.
 */
import { promises as fs, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readSafetensors, writeSafetensors, type SafeTensorInput } from '../models/safetensors';
import { writeJsonAtomic } from '../io/atomic';

/** Everything besides tensors that an exact resume needs. */
export interface TrainerSidecar {
  readonly format: 'mta4dpr-train-checkpoint';
  readonly version: 2;
  readonly step: number;
  readonly optimizerStep: number;
  /** Current epoch's permutation of group indices and the next position in it. */
  readonly order: readonly number[];
  readonly position: number;
  readonly epoch: number;
  readonly rngState: number;
  /** State of the generator handed to per-batch selection (random selection resumes exactly). */
  readonly selectionRngState: number;
  /** Selections per assistant so far, so counts after a resume cover the whole run. */
  readonly assistantCounts: Record<string, number>;
  /** Global weight norm at step 0 (the divergence guard's reference); the first step's norm for a zero start. */
  readonly initialWeightNorm: number;
  /** The model started at zero weights, so the guard's reference scales with the steps taken. */
  readonly zeroStart?: boolean;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[] }>;
  /** Fingerprint of the options that must not change across a resume. */
  readonly fingerprint: string;
  readonly evaluations: ReadonlyArray<{ readonly step: number; readonly metrics: Record<string, number> }>;
  readonly best?: { readonly step: number; readonly value: number };
  readonly evalsWithoutImprovement: number;
}

/** A checkpoint as read back: sidecar plus tensor data. */
export interface LoadedCheckpoint {
  readonly dir: string;
  readonly sidecar: TrainerSidecar;
  readonly params: Record<string, { shape: readonly number[]; data: Float32Array }>;
  readonly optimizer: Record<string, { shape: readonly number[]; data: Float32Array }>;
}

const PREFIX = 'step-';

/** Folder name of the checkpoint at `step` (zero-padded so names sort by step). */
export function checkpointName(step: number): string {
  return `${PREFIX}${String(step).padStart(8, '0')}`;
}

// Async reads throughout: device backends (webgpu) cannot read synchronously in Node.
async function toSafe(tensors: Record<string, tf.Tensor>): Promise<Record<string, SafeTensorInput>> {
  const out: Record<string, SafeTensorInput> = {};
  for (const [k, t] of Object.entries(tensors)) out[k] = { shape: t.shape, data: (await t.data()) as Float32Array };
  return out;
}

/** Model weights under the names `param.<i>` (variable order), for checkpoints and the final model. */
export async function writeModelWeights(path: string, variables: readonly tf.Variable[]): Promise<void> {
  const tensors: Record<string, SafeTensorInput> = {};
  for (const [i, v] of variables.entries()) tensors[`param.${i}`] = { shape: v.shape, data: (await v.data()) as Float32Array };
  await writeSafetensors(path, tensors, { names: JSON.stringify(variables.map((v) => v.name)) });
}

/** Writes checkpoint `step` under `root` atomically; returns its folder. */
export async function saveCheckpoint(
  root: string,
  variables: readonly tf.Variable[],
  optimizerTensors: Record<string, tf.Tensor>,
  sidecar: TrainerSidecar,
): Promise<string> {
  const final = join(root, checkpointName(sidecar.step));
  const tmp = join(root, `${TEMP_PREFIX}${checkpointName(sidecar.step)}-${process.pid}`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  await writeModelWeights(join(tmp, 'model.safetensors'), variables);
  await writeSafetensors(join(tmp, 'optimizer.safetensors'), await toSafe(optimizerTensors));
  await writeJsonAtomic(join(tmp, 'state.json'), sidecar);
  await fs.rm(final, { recursive: true, force: true });
  await fs.rename(tmp, final);
  return final;
}

/** Step numbers of the complete checkpoints under `root`, ascending. */
export function listCheckpoints(root: string): number[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => d.startsWith(PREFIX) && existsSync(join(root, d, 'state.json')))
    .map((d) => Number(d.slice(PREFIX.length)))
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b);
}

/** Reads the newest complete checkpoint under `root`, or undefined when there is none. */
export function loadLatestCheckpoint(root: string): LoadedCheckpoint | undefined {
  const steps = listCheckpoints(root);
  if (steps.length === 0) return undefined;
  const dir = join(root, checkpointName(steps[steps.length - 1]));
  const sidecar = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as TrainerSidecar;
  if (sidecar.format !== 'mta4dpr-train-checkpoint') throw new Error(`${join(dir, 'state.json')}: not an mta4dpr training checkpoint`);
  if (sidecar.version !== 2) {
    throw new Error(`${join(dir, 'state.json')}: a version-${sidecar.version} checkpoint (without selection counts and selection RNG); ` +
      'resuming it would miscount the run: delete its checkpoints folder to retrain');
  }
  const asFloat = (file: string) => {
    const out: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
    for (const [k, t] of Object.entries(readSafetensors(join(dir, file)).tensors)) out[k] = { shape: t.shape, data: Float32Array.from(t.data) };
    return out;
  };
  return { dir, sidecar, params: asFloat('model.safetensors'), optimizer: asFloat('optimizer.safetensors') };
}

/** Assigns checkpointed weights to `variables` (same order and shapes, else an error naming the variable). */
export function restoreWeights(variables: readonly tf.Variable[], params: LoadedCheckpoint['params'], source: string): void {
  variables.forEach((v, i) => {
    const p = params[`param.${i}`];
    if (!p) throw new Error(`${source}: no weights for variable ${i} (${v.name})`);
    if (p.shape.length !== v.shape.length || p.shape.some((d, k) => d !== v.shape[k])) {
      throw new Error(`${source}: variable ${i} (${v.name}) has shape [${v.shape}], checkpoint has [${p.shape}]`);
    }
    tf.tidy(() => v.assign(tf.tensor(p.data, v.shape, 'float32')));
  });
}

/** Prefix of a checkpoint being written; such a folder is never complete. */
const TEMP_PREFIX = '.tmp-';

/** Removes the temp folders of checkpoint writes that a killed process left under `root`. */
export async function removeTempCheckpoints(root: string): Promise<void> {
  if (!existsSync(root)) return;
  for (const d of readdirSync(root)) if (d.startsWith(TEMP_PREFIX)) await fs.rm(join(root, d), { recursive: true, force: true });
}

/** Deletes all but the newest `keep` checkpoints. */
export async function pruneCheckpoints(root: string, keep: number): Promise<void> {
  const steps = listCheckpoints(root);
  for (const s of steps.slice(0, Math.max(0, steps.length - keep))) await fs.rm(join(root, checkpointName(s)), { recursive: true, force: true });
}
