/**
 * Canonical parameter names ↔ Hugging Face BERT / DistilBERT names. HF linear weights are
 * [out, in]; ours are [in, out], so dense kernels are transposed on the way in and out.
 */
import type { StudentConfig } from './config';

/** One canonical → HF name mapping; `transpose` for dense kernels. */
export interface HfName {
  readonly hf: string;
  readonly transpose: boolean;
}

const DISTIL_LAYER: Record<string, string> = {
  'attn.q': 'attention.q_lin', 'attn.k': 'attention.k_lin', 'attn.v': 'attention.v_lin', 'attn.o': 'attention.out_lin',
  attn_ln: 'sa_layer_norm', 'ffn.in': 'ffn.lin1', 'ffn.out': 'ffn.lin2', out_ln: 'output_layer_norm',
};
const BERT_LAYER: Record<string, string> = {
  'attn.q': 'attention.self.query', 'attn.k': 'attention.self.key', 'attn.v': 'attention.self.value', 'attn.o': 'attention.output.dense',
  attn_ln: 'attention.output.LayerNorm', 'ffn.in': 'intermediate.dense', 'ffn.out': 'output.dense', out_ln: 'output.LayerNorm',
};
const EMBEDDINGS: Record<string, string> = {
  'embeddings.word': 'embeddings.word_embeddings.weight',
  'embeddings.position': 'embeddings.position_embeddings.weight',
  'embeddings.token_type': 'embeddings.token_type_embeddings.weight',
  'embeddings.ln.gamma': 'embeddings.LayerNorm.weight',
  'embeddings.ln.beta': 'embeddings.LayerNorm.bias',
};
const SUFFIX: Record<string, string> = { kernel: 'weight', bias: 'bias', gamma: 'weight', beta: 'bias' };

/** HF name (bare, as BertModel/DistilBertModel save) of a canonical tower parameter; undefined if HF has none. */
export function hfNameOf(arch: StudentConfig['arch'], local: string): HfName | undefined {
  if (EMBEDDINGS[local]) return { hf: EMBEDDINGS[local], transpose: false };
  const m = /^layer\.(\d+)\.(.+)\.(kernel|bias|gamma|beta)$/.exec(local);
  if (!m) return undefined;
  const [, i, module, kind] = m;
  const table = arch === 'bert' ? BERT_LAYER : DISTIL_LAYER;
  if (!table[module]) return undefined;
  const prefix = arch === 'bert' ? `encoder.layer.${i}.` : `transformer.layer.${i}.`;
  return { hf: `${prefix}${table[module]}.${SUFFIX[kind]}`, transpose: kind === 'kernel' };
}

/** Strips an HF checkpoint's model prefix (`bert.`, `distilbert.`) and legacy gamma/beta LayerNorm names. */
export function normaliseHfName(name: string): string {
  return name
    .replace(/^(bert|distilbert)\./, '')
    .replace(/LayerNorm\.gamma$/, 'LayerNorm.weight')
    .replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
}
