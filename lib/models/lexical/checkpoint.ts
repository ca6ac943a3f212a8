/**
 * Checkpoints of the hashed lexical student: lexical.json (format, config, seed, collection
 * figures), terms.tsv (term TAB df, weight-row order) and weights.safetensors (float32, bit-exact).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic';
import { readSafetensors, writeSafetensors } from '../safetensors';
import { parseLexicalConfig } from './config';
import { HashedLexicalEncoder } from './encoder';
import type { LexicalVocabulary } from './vocabulary';

/** File names inside a lexical checkpoint folder. */
export const LEXICAL_CHECKPOINT_FILES = { meta: 'lexical.json', terms: 'terms.tsv', weights: 'weights.safetensors' } as const;
const FORMAT = 'mta4dpr-lexical/1';

/** What lexical.json holds. */
export interface LexicalCheckpointMeta {
  readonly format: typeof FORMAT;
  readonly name: string;
  readonly seed: number;
  readonly config: unknown;
  readonly documents: number;
  readonly meanLength: number;
  readonly paramNames: string[];
  readonly extra: unknown;
}

/** Saves the encoder to `dir`; lexical.json goes last, so its presence marks a complete checkpoint. */
export async function saveLexicalCheckpoint(dir: string, model: HashedLexicalEncoder, extra: unknown = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const v = model.vocabulary;
  await writeFileAtomic(join(dir, LEXICAL_CHECKPOINT_FILES.terms), v.terms.map((t, i) => `${t}\t${v.df[i]}\n`).join(''));
  await writeSafetensors(join(dir, LEXICAL_CHECKPOINT_FILES.weights), await model.weights(), { format: FORMAT });
  const meta: LexicalCheckpointMeta = {
    format: FORMAT, name: model.name, seed: model.seed, config: model.config,
    documents: v.documents, meanLength: v.meanLength, paramNames: model.paramNames(), extra,
  };
  await writeJsonAtomic(join(dir, LEXICAL_CHECKPOINT_FILES.meta), meta);
}

/** Whether `dir` holds a lexical checkpoint. */
export function isLexicalCheckpoint(dir: string): boolean {
  return existsSync(join(dir, LEXICAL_CHECKPOINT_FILES.meta));
}

function readTerms(path: string): Pick<LexicalVocabulary, 'terms' | 'df'> {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const terms: string[] = [];
  const df = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const m = /^([^\t]+)\t(\d+)$/.exec(line);
    if (!m) throw new Error(`${path}:${i + 1}: expected 'term<TAB>document frequency', got '${line.slice(0, 60)}'`);
    terms.push(m[1]);
    df[i] = Number(m[2]);
  });
  return { terms, df };
}

/** Loads a lexical checkpoint; weights equal the saved ones bit for bit. */
export function loadLexicalCheckpoint(dir: string): { model: HashedLexicalEncoder; extra: unknown } {
  const metaPath = join(dir, LEXICAL_CHECKPOINT_FILES.meta);
  if (!existsSync(metaPath)) throw new Error(`no lexical checkpoint in ${dir}: ${LEXICAL_CHECKPOINT_FILES.meta} is missing`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as LexicalCheckpointMeta;
  if (meta.format !== FORMAT) throw new Error(`${metaPath}: unknown format '${String(meta.format)}' (expected ${FORMAT})`);
  if (!(meta.documents > 0) || !(meta.meanLength >= 0)) throw new Error(`${metaPath}: 'documents' must be > 0 and 'meanLength' ≥ 0`);
  const config = parseLexicalConfig(meta.config, metaPath);
  const vocabulary: LexicalVocabulary = { documents: meta.documents, meanLength: meta.meanLength, ...readTerms(join(dir, LEXICAL_CHECKPOINT_FILES.terms)) };
  const weightsPath = join(dir, LEXICAL_CHECKPOINT_FILES.weights);
  const file = readSafetensors(weightsPath);
  const initial: Record<string, Float32Array> = {};
  for (const name of meta.paramNames) {
    const t = file.tensors[name];
    if (!t) throw new Error(`${weightsPath}: missing tensor ${name}`);
    if (!(t.data instanceof Float32Array)) throw new Error(`${weightsPath}: ${name} must be float32`);
    initial[name] = t.data;
  }
  return { model: new HashedLexicalEncoder(config, vocabulary, meta.seed, initial, meta.name), extra: meta.extra };
}
