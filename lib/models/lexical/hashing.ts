/**
 * Seeded random ±1 vectors of terms, computed from the term's characters on demand (a table of
 * every term × 4096 floats would not fit), so any term — seen in training or not — has one.
 */

/** FNV-1a over the term's UTF-16 units, mixed with the seed: the term's stream seed. */
export function termSeed(term: string, seed: number): number {
  let h = (2166136261 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 16777619);
  // A final avalanche so terms differing in the last character get unrelated streams.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mulberry32 step: the next 32 random bits of stream state `s` (returns [bits, next state]). */
function next(s: number): [number, number] {
  const a = (s + 0x6d2b79f5) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [(t ^ (t >>> 14)) >>> 0, a];
}

/**
 * Adds `coef` · h(term) to `out[offset .. offset+dim)`, h(term) ∈ {±1/√dim}^dim (unit length, so
 * distinct terms are nearly orthogonal and the dot product approximates a sparse one).
 */
export function addTermVector(term: string, seed: number, dim: number, coef: number, out: Float32Array, offset = 0): void {
  const c = coef / Math.sqrt(dim);
  let s = termSeed(term, seed);
  for (let base = 0; base < dim; base += 32) {
    let bits: number;
    [bits, s] = next(s);
    const end = Math.min(32, dim - base);
    for (let k = 0; k < end; k++) out[offset + base + k] += (bits >>> k) & 1 ? c : -c;
  }
}
