/**
 * Does a GloVe channel help the hashed lexical start? A GloVe/transformer channel concatenated
 * beside the lexical vector, scaled by √w, adds w × (GloVe student score) to each lexical score; this
 * measures DL19 nDCG@10 (pool re-ranked, relLevel 2, idf from DL20 passages) over a grid of w for
 * the untrained default GloVe student. Prints JSON.
 * usage: npx tsx bench/lexical-glove.ts [--dim 4096] [--seed 1] [--weights 0,0.5,1,2,4,8]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend } from '../lib/backend';
import type { Run } from '../lib/data/types';
import { evaluate } from '../lib/eval';
import { createGloveStudent, DEFAULT_STUDENT, withFastEncoder } from '../lib/models';
import { createHashedLexicalStudent } from '../lib/models/lexical';
import { loadSplit } from '../lib/pipeline/splits';
import { splitTexts } from '../lib/pipeline/student';
import { rerankCandidates } from '../lib/retrieval/rerank';

const { values: a } = parseArgs({ options: { dim: { type: 'string', default: '4096' }, seed: { type: 'string', default: '1' }, weights: { type: 'string', default: '0,0.25,0.5,1,2,4,8' } } });

async function main(): Promise<void> {
  await initBackend();
  const dl19 = await loadSplit(['dl19'], 'all', 100);
  const idfTexts = splitTexts(await loadSplit(['dl20'], 'all', 100));
  const ids = [...dl19.candidates.byQuery.keys()];
  const seed = Number(a.seed);
  const lexical = createHashedLexicalStudent({ config: { dim: Number(a.dim) }, idfTexts, seed });
  const lex = await rerankCandidates(lexical, dl19, ids);
  const glove = createGloveStudent({ config: { ...DEFAULT_STUDENT, passageMaxLength: 64 }, idfTexts, seed }).model;
  const t0 = Date.now();
  const gl = await withFastEncoder(glove, (e) => rerankCandidates(e, dl19, ids));
  const gloveSeconds = (Date.now() - t0) / 1000;
  const scoreOf = (run: Run) => new Map([...run.byQuery].map(([q, es]) => [q, new Map(es.map((e) => [e.docId, e.score]))]));
  const ls = scoreOf(lex);
  const gs = scoreOf(gl);
  const rows = a.weights!.split(',').map(Number).map((w) => {
    const byQuery = new Map([...ls].map(([q, m]) => [q, [...m].map(([d, s]) => ({ docId: d, score: s + w * gs.get(q)!.get(d)!, rank: 0 }))]));
    const ndcg = evaluate(dl19.qrels!, { name: `mix-${w}`, byQuery }, ['nDCG@10'], { relLevel: 2 }).mean['nDCG@10'];
    return { w, dl19: Math.round(ndcg * 1e4) / 1e4 };
  });
  const gloveAlone = evaluate(dl19.qrels!, gl, ['nDCG@10'], { relLevel: 2 }).mean['nDCG@10'];
  process.stdout.write(`${JSON.stringify({ dim: Number(a.dim), seed, gloveAlone: Math.round(gloveAlone * 1e4) / 1e4, gloveSeconds, mix: rows, load: loadavg()[0] }, null, 2)}\n`);
  lexical.dispose();
  glove.dispose();
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
