/**
 * AdamW (Loshchilov & Hutter: Adam with decoupled weight decay), written over tf variables so its
 * state is plain named tensors that a checkpoint can save and restore exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_ADAMW_KERNEL, type FusedAdamWAttrs } from '../backend/native-kernels';

/** Hyper-parameters of {@link AdamW} (defaults as in PyTorch / transformers). */
export interface AdamWOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  readonly weightDecay?: number;
  /** Which variables get weight decay; default: rank ≥ 2 (no decay on biases and LayerNorm). */
  readonly decay?: (v: tf.Variable, index: number) => boolean;
}

/** Moment estimates of every variable plus the update count, as named tensors. */
export interface AdamWState {
  readonly step: number;
  /** `m.<i>` and `v.<i>` for variable i (caller disposes). */
  readonly tensors: Record<string, tf.Tensor>;
}

/**
 * One update with gradient g at step t (lr from the schedule):
 *   m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t);
 *   θ ← θ − lr · (m̂ / (√v̂ + ε) + λ θ)       (λ applied only where `decay` says so).
 */
/** A zero variable shaped like `v`; the initial tensor is released (a variable keeps its own handle). */
function zeroMoment(v: tf.Variable): tf.Variable {
  const z = tf.zerosLike(v);
  const m = tf.variable(z, false);
  z.dispose();
  return m;
}

export class AdamW {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly decays: boolean[];
  private t = 0;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;

  /** Creates zero moments for `variables` (their order is the state's naming order). */
  constructor(private readonly variables: readonly tf.Variable[], options: AdamWOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    const decay = options.decay ?? ((v) => v.rank >= 2);
    this.decays = variables.map((v, i) => decay(v, i));
    this.m = variables.map(zeroMoment);
    this.v = variables.map(zeroMoment);
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.t;
  }

  /**
   * Applies one update; `grads[i]` belongs to variable i (undefined = no gradient, skipped), used
   * as `grads[i] · gradScale` (clipping's factor, see clipScale), rounded to float32 as tf.mul rounds it.
   */
  apply(grads: ReadonlyArray<tf.Tensor | undefined>, lr: number, gradScale = 1): void {
    if (grads.length !== this.variables.length) throw new Error(`AdamW: ${grads.length} gradients for ${this.variables.length} variables`);
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    const fused = tf.getKernel(FUSED_ADAMW_KERNEL, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      grads.forEach((g, i) => {
        if (!g) return;
        const decay = this.decays[i] && this.weightDecay > 0 ? this.weightDecay : 0;
        if (fused) {
          // One pass instead of a dozen element-wise kernels; the same float32 operations in the same order.
          const attrs: FusedAdamWAttrs = { lr, beta1: this.beta1, beta2: this.beta2, c1, c2, epsilon: this.epsilon, decay, gradScale };
          const [p, m, v] = tf.engine().runKernel(FUSED_ADAMW_KERNEL, { param: this.variables[i], grad: g, m: this.m[i], v: this.v[i] }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          this.m[i].assign(m);
          this.v[i].assign(v);
          this.variables[i].assign(p);
          return;
        }
        const gs = gradScale === 1 ? g : tf.mul(g, gradScale);
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(gs, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(gs), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        let update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        if (decay > 0) update = tf.add(update, tf.mul(this.variables[i], decay));
        this.variables[i].assign(tf.sub(this.variables[i], tf.mul(update, lr)));
      });
    });
  }

  /** Copies of the state tensors (caller disposes them). */
  getState(): AdamWState {
    const tensors: Record<string, tf.Tensor> = {};
    this.m.forEach((m, i) => (tensors[`m.${i}`] = m.clone()));
    this.v.forEach((v, i) => (tensors[`v.${i}`] = v.clone()));
    return { step: this.t, tensors };
  }

  /** Restores a state saved by {@link getState}; shapes must match. */
  setState(state: { step: number; tensors: Record<string, { shape: readonly number[]; data: ArrayLike<number> }> }): void {
    const load = (vars: tf.Variable[], prefix: string) =>
      vars.forEach((dst, i) => {
        const src = state.tensors[`${prefix}.${i}`];
        if (!src) throw new Error(`AdamW.setState: missing tensor ${prefix}.${i}`);
        if (src.shape.length !== dst.shape.length || src.shape.some((d, k) => d !== dst.shape[k])) {
          throw new Error(`AdamW.setState: ${prefix}.${i} has shape [${src.shape}], expected [${dst.shape}]`);
        }
        tf.tidy(() => dst.assign(tf.tensor(Float32Array.from(src.data), dst.shape, 'float32')));
      });
    load(this.m, 'm');
    load(this.v, 'v');
    this.t = state.step;
  }

  /** Releases the moment tensors (not the model's variables). */
  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
