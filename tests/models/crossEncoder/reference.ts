/**
 * An independent float64 forward of BertForSequenceClassification in plain JS, straight from the
 * HF tensors (weights [out, in], `bert.` prefix): the reference the tfjs and ONNX engines are
 * checked against. One unpadded sequence at a time, so padding and masking are not assumed.
 */
import type { SafetensorsFile } from '../../../lib/models/safetensors';

/** erf to ~1e-13 (Taylor series; |x| ≥ 6 saturates), enough for a float32-vs-float64 comparison. */
export function erf64(x: number): number {
  if (Math.abs(x) >= 6) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Logits of one `[CLS] q [SEP] p [SEP]` sequence. */
export function referenceLogits(file: SafetensorsFile, cfg: { layers: number; heads: number; eps: number }, ids: readonly number[], types: readonly number[]): number[] {
  const T = (n: string) => {
    const t = file.tensors[n];
    if (!t) throw new Error(`reference: no tensor ${n}`);
    return { shape: t.shape, data: Array.from(t.data as Float32Array) };
  };
  const word = T('bert.embeddings.word_embeddings.weight');
  const h = word.shape[1];
  const row = (m: { data: number[] }, i: number, w: number) => m.data.slice(i * w, (i + 1) * w);
  const linear = (x: number[], name: string) => {
    const W = T(`${name}.weight`);
    const b = T(`${name}.bias`).data;
    const [out, inp] = W.shape;
    return Array.from({ length: out }, (_, o) => { let s = b[o]; for (let i = 0; i < inp; i++) s += W.data[o * inp + i] * x[i]; return s; });
  };
  const ln = (x: number[], name: string) => {
    const g = T(`${name}.weight`).data;
    const b = T(`${name}.bias`).data;
    const m = x.reduce((a, v) => a + v, 0) / x.length;
    const v = x.reduce((a, y) => a + (y - m) ** 2, 0) / x.length;
    return x.map((y, i) => ((y - m) / Math.sqrt(v + cfg.eps)) * g[i] + b[i]);
  };
  const pos = T('bert.embeddings.position_embeddings.weight');
  const typ = T('bert.embeddings.token_type_embeddings.weight');
  let xs = ids.map((id, t) => {
    const e = row(word, id, h).map((v, i) => v + row(pos, t, h)[i] + row(typ, types[t], h)[i]);
    return ln(e, 'bert.embeddings.LayerNorm');
  });
  const dh = h / cfg.heads;
  for (let l = 0; l < cfg.layers; l++) {
    const p = `bert.encoder.layer.${l}.`;
    const q = xs.map((x) => linear(x, `${p}attention.self.query`));
    const k = xs.map((x) => linear(x, `${p}attention.self.key`));
    const v = xs.map((x) => linear(x, `${p}attention.self.value`));
    const ctx = xs.map(() => new Array<number>(h).fill(0));
    for (let hd = 0; hd < cfg.heads; hd++) {
      for (let i = 0; i < xs.length; i++) {
        const s = xs.map((_, j) => { let d = 0; for (let c = hd * dh; c < (hd + 1) * dh; c++) d += q[i][c] * k[j][c]; return d / Math.sqrt(dh); });
        const mx = Math.max(...s);
        const e = s.map((z) => Math.exp(z - mx));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < xs.length; j++) for (let c = hd * dh; c < (hd + 1) * dh; c++) ctx[i][c] += (e[j] / z) * v[j][c];
      }
    }
    xs = xs.map((x, i) => ln(linear(ctx[i], `${p}attention.output.dense`).map((o, c) => o + x[c]), `${p}attention.output.LayerNorm`));
    xs = xs.map((x) => {
      const f = linear(x, `${p}intermediate.dense`).map((u) => 0.5 * u * (1 + erf64(u / Math.SQRT2)));
      return ln(linear(f, `${p}output.dense`).map((o, c) => o + x[c]), `${p}output.LayerNorm`);
    });
  }
  const pooled = linear(xs[0], 'bert.pooler.dense').map(Math.tanh);
  return linear(pooled, 'classifier');
}
