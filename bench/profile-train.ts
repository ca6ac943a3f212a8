/**
 * Where a training step's time goes (tfjs-wasm, with or without the native kernels): the step of
 * lib/train/trainer.ts (forward, autodiff backward, global-norm clipping, AdamW) run under
 * tf.profile, kernel time summed by kernel and by kind (matrix products, element-wise, reductions,
 * softmax, copies and layout, gather/scatter, optimiser), split into forward / backward /
 * optimiser, and the step's wall time left outside kernels (autodiff bookkeeping, engine, JS).
 * Prints JSON.
 * usage: npx tsx bench/profile-train.ts [--model default|distilbert] [--batch 4] [--reps 3]   (MTA4DPR_NATIVE=0: stock kernels)
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { nativeKernelStatus } from '../lib/backend/native-kernels';
import { toDistribution } from '../lib/assistants/distribution';
import { createDualEncoder } from '../lib/models/dualEncoder';
import { defaultModelPaths } from '../lib/models/gloveStudent';
import { loadTokenizer } from '../lib/text';
import { AdamW } from '../lib/train/adamw';
import { clipScale } from '../lib/train/clip';
import { combinedLoss } from '../lib/train/losses/combined';
import { benchGroups, PRESETS, type PresetName } from './_groups';
import { median } from './_child';

/** Kernel kinds, by tfjs kernel name; anything unlisted is 'other'. */
const KINDS: Record<string, readonly string[]> = {
  matmul: ['BatchMatMul', '_FusedMatMul'],
  elementwise: ['Add', 'AddN', 'Sub', 'Multiply', 'RealDiv', 'Neg', 'Square', 'SquaredDifference', 'Sqrt', 'Rsqrt', 'Exp', 'Log', 'Erf', 'Softplus', 'Sigmoid',
    'Maximum', 'Minimum', 'Abs', 'Pow', 'Step', 'Relu', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'Select', 'LogicalAnd', 'Reciprocal'],
  reduction: ['Sum', 'Mean', 'Max', 'Min', 'Prod', 'ArgMax', 'All', 'Any'],
  softmax: ['Softmax', 'LogSoftmax'],
  layout: ['Transpose', 'Reshape', 'Slice', 'StridedSlice', 'Pad', 'PadV2', 'Concat', 'Tile', 'Cast', 'Identity', 'ExpandDims', 'Squeeze', 'Pack', 'Unpack', 'Fill', 'ZerosLike', 'OnesLike', 'BroadcastTo', 'Reverse'],
  gather: ['GatherV2', 'GatherNd', 'ScatterNd', 'UnsortedSegmentSum'],
  optimiser: ['Mta4dprFusedAdamW'],
};
const kindOf = (name: string): string => Object.keys(KINDS).find((k) => KINDS[k].includes(name)) ?? 'other';

interface KernelTotals { ms: number; calls: number }

type KernelRecord = { name: string; kernelTimeMs: unknown };

/** tf.profile returns the engine's one profile object, overwritten by the next call: copy it at once. */
async function profiled(f: () => tf.TensorContainer | Promise<tf.TensorContainer>): Promise<KernelRecord[]> {
  const info = await tf.profile(f);
  return info.kernels.map((k) => ({ name: k.name, kernelTimeMs: k.kernelTimeMs }));
}

function addKernels(into: Map<string, KernelTotals>, kernels: readonly KernelRecord[]): number {
  let total = 0;
  for (const k of kernels) {
    // customGrad's record ('unnamed scope', or 'forward' while a tape records) times the kernels
    // inside it, which have records of their own.
    if (k.name === 'unnamed scope' || k.name === 'forward') continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = k.name;
    const t = into.get(key) ?? { ms: 0, calls: 0 };
    t.ms += ms;
    t.calls += 1;
    into.set(key, t);
    total += ms;
  }
  return total;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs the profile and returns its JSON report. */
export async function run(argv: string[] = []): Promise<object> {
  const { values } = parseArgs({ args: argv, options: { model: { type: 'string' }, batch: { type: 'string' }, reps: { type: 'string' } }, strict: true });
  const modelName = (values.model ?? 'default') as PresetName;
  if (!(modelName in PRESETS)) throw new Error(`unknown model '${modelName}' (${Object.keys(PRESETS).join(', ')})`);
  const batch = Number(values.batch ?? 4);
  const reps = Number(values.reps ?? 3);
  const backend = await initBackend();
  const groups = (await benchGroups(batch * (reps + 1)));
  const model = createDualEncoder(PRESETS[modelName], loadTokenizer(defaultModelPaths().vocab), { seed: 0 });
  const variables = model.trainableVariables();
  const lossFn = combinedLoss({ alpha: 1, beta: 1, gamma: 0 });
  const optimizer = new AdamW(variables);
  const n = groups[0].passages.length;

  const inputs = (r: number) => {
    const b = groups.slice(r * batch, (r + 1) * batch);
    const flat = new Float32Array(b.length * n);
    b.forEach((g, i) => flat.set(toDistribution(g.teacher), i * n));
    return { q: model.tokenize(b.map((g) => g.query), 'query'), p: model.tokenize(b.flatMap((g) => g.passages), 'passage'), teacherProbs: tf.tensor2d(flat, [b.length, n]) };
  };
  const lossOf = (x: ReturnType<typeof inputs>) => lossFn({ queryEmb: model.embed(x.q, 'query', true), passageEmb: model.embed(x.p, 'passage', true), teacherProbs: x.teacherProbs }).total;
  const disposeInputs = (x: ReturnType<typeof inputs>) => [x.q.inputIds, x.q.attentionMask, x.p.inputIds, x.p.attentionMask, x.teacherProbs].forEach((t) => t.dispose());

  const phases = { forward: new Map<string, KernelTotals>(), backward: new Map<string, KernelTotals>(), optimiser: new Map<string, KernelTotals>() };
  const wall = { forward: [] as number[], forwardBackward: [] as number[], optimiser: [] as number[], step: [] as number[] };
  const kernelMs = { forward: [] as number[], forwardBackward: [] as number[], optimiser: [] as number[] };
  for (let r = 0; r <= reps; r++) {
    const x = inputs(r);
    const now = () => Number(process.hrtime.bigint()) / 1e6;
    let t0 = now();
    const fwd = await profiled(() => tf.tidy(() => lossOf(x)));
    const tFwd = now() - t0;
    t0 = now();
    let grads: tf.NamedTensorMap = {};
    const fb = await profiled(() => {
      const res = tf.variableGrads(() => lossOf(x) as tf.Scalar, variables);
      res.value.dispose();
      grads = res.grads;
      return [];
    });
    const tFb = now() - t0;
    t0 = now();
    const opt = await profiled(async () => {
      const g = variables.map((v) => grads[v.name]);
      optimizer.apply(g, 1e-4, (await clipScale(g, 1)).scale);
      for (const t of g) t?.dispose();
      return [];
    });
    const tOpt = now() - t0;
    disposeInputs(x);
    if (r === 0) continue; // the first step sets kernels and weights up
    const byKernel = new Map<string, KernelTotals>();
    const kf = addKernels(byKernel, fwd);
    kernelMs.forward.push(kf);
    const kfb = addKernels(byKernel, fb);
    kernelMs.forwardBackward.push(kfb);
    addKernels(phases.forward, fwd);
    // Backward = the gradient pass minus its forward: subtract per kernel.
    const fbMap = new Map<string, KernelTotals>();
    addKernels(fbMap, fb);
    const fMap = new Map<string, KernelTotals>();
    addKernels(fMap, fwd);
    for (const [k, v] of fbMap) {
      const f = fMap.get(k) ?? { ms: 0, calls: 0 };
      const t = phases.backward.get(k) ?? { ms: 0, calls: 0 };
      t.ms += v.ms - f.ms;
      t.calls += v.calls - f.calls;
      phases.backward.set(k, t);
    }
    kernelMs.optimiser.push(addKernels(phases.optimiser, opt));
    wall.forward.push(tFwd);
    wall.forwardBackward.push(tFb);
    wall.optimiser.push(tOpt);
    wall.step.push(tFb + tOpt);
  }
  // An unprofiled step for comparison (profiling adds a timer per kernel).
  const plain: number[] = [];
  for (let r = 0; r < reps; r++) {
    const x = inputs(r);
    const t0 = process.hrtime.bigint();
    const res = tf.variableGrads(() => lossOf(x) as tf.Scalar, variables);
    res.value.dataSync();
    res.value.dispose();
    const g = variables.map((v) => res.grads[v.name]);
    optimizer.apply(g, 1e-4, (await clipScale(g, 1)).scale);
    for (const t of g) t?.dispose();
    plain.push(Number(process.hrtime.bigint() - t0) / 1e6);
    disposeInputs(x);
  }
  optimizer.dispose();
  model.dispose();

  const stepMs = median(wall.step);
  const perRep = (m: Map<string, KernelTotals>) => [...m].map(([name, t]) => ({ name, kind: kindOf(name), ms: t.ms / reps, calls: t.calls / reps }));
  const all = [...perRep(phases.forward), ...perRep(phases.backward), ...perRep(phases.optimiser)];
  const byKind: Record<string, number> = {};
  for (const k of all) byKind[k.kind] = (byKind[k.kind] ?? 0) + k.ms;
  const kernelsTotal = Object.values(byKind).reduce((s, x) => s + x, 0);
  const share = (ms: number) => round((100 * ms) / stepMs, 1);
  const phaseRows = Object.fromEntries(Object.entries(phases).map(([ph, m]) => {
    const rows = perRep(m).filter((r) => Math.abs(r.ms) > 1e-3).sort((a, b) => b.ms - a.ms);
    return [ph, { kernelMs: round(rows.reduce((s, r) => s + r.ms, 0)), top: rows.slice(0, 12).map((r) => ({ ...r, ms: round(r.ms), calls: round(r.calls, 1), stepPercent: share(r.ms) })) }];
  }));
  return {
    bench: 'profile-train', model: modelName, batchGroups: batch, reps, backend: backend.backend,
    native: nativeKernelStatus().active ? { active: true, threads: nativeKernelStatus().threads } : { active: false, reason: nativeKernelStatus().reason },
    stepMsProfiled: round(stepMs), stepMsUnprofiled: round(median(plain)),
    wallMs: { forward: round(median(wall.forward)), forwardBackward: round(median(wall.forwardBackward)), optimiser: round(median(wall.optimiser)) },
    kernelMsTotal: round(kernelsTotal), outsideKernelsMs: round(stepMs - kernelsTotal), outsideKernelsPercent: share(stepMs - kernelsTotal),
    byKindPercent: Object.fromEntries(Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, ms]) => [k, share(ms)])),
    phases: phaseRows,
    loadAverage: (await import('node:os')).loadavg().map((x) => round(x)),
  };
}

if (require.main === module) {
  run(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
