/**
 * `mta4dpr encode`: embeds a TSV of `id\ttext` with a dual encoder into a float32 .npy (input order)
 * plus `<out>.ids.txt`.
 */
import type { Command } from '../cli';
import { initBackend } from '../backend';
import { readTsvCollection, readTsvQueries } from '../data/tsv';
import { loadEncoder } from '../models/loadEncoder';
import { withFastEncoder } from '../models/onnx';
import { encodeCorpus } from '../retrieval/encodeCorpus';
import { writeNpy } from '../retrieval/npy';
import { writeFileAtomic } from '../io/atomic';
import { numberFlag, parseFlags, requireFlag, UsageError } from './args';
import { progressBar } from '../retrieval/progressBar';

const usage = 'mta4dpr encode --model DIR|glove:default --input FILE.tsv --out FILE.npy [--kind query|passage] [--pooling cls|mean|idf-mean] [--max-length N] [--batch-size N]';

export const command: Command = {
  summary: 'embed a TSV of id<TAB>text into a float32 .npy (+ .ids.txt)',
  async run(argv) {
    const f = parseFlags(argv, {
      model: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, kind: { type: 'string' },
      pooling: { type: 'string' }, 'max-length': { type: 'string' }, 'batch-size': { type: 'string' }, help: { type: 'boolean' },
    }, usage);
    if (f.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const [model, input, out] = ['model', 'input', 'out'].map((n) => requireFlag(f, n, usage));
    const kind = (f.kind ?? 'passage') as string;
    if (kind !== 'query' && kind !== 'passage') throw new UsageError(`--kind must be query or passage, got '${kind}'`, usage);
    const pooling = f.pooling as string | undefined;
    if (pooling !== undefined && !['cls', 'mean', 'idf-mean'].includes(pooling)) throw new UsageError(`--pooling must be cls, mean or idf-mean`, usage);
    const maxLength = numberFlag(f, 'max-length', 0);
    await initBackend();
    const rows = kind === 'query'
      ? [...(await readTsvQueries(input)).value.queries.values()].map((q) => ({ id: q.id, text: q.text }))
      : [...(await readTsvCollection(input)).value.passages.values()].map((p) => ({ id: p.id, text: p.text, title: p.title }));
    const overrides = { ...(pooling ? { pooling: pooling as 'cls' } : {}), ...(maxLength ? (kind === 'query' ? { queryMaxLength: maxLength } : { passageMaxLength: maxLength }) : {}) };
    const { model: encoder } = await loadEncoder(model, { idfTexts: rows.map((r) => r.text), overrides: Object.keys(overrides).length ? overrides : undefined });
    const bar = progressBar(kind === 'query' ? 'encode queries' : 'encode passages', rows.length);
    try {
      const enc = await withFastEncoder(encoder, (e) => encodeCorpus(e, rows, { kind, batchSize: numberFlag(f, 'batch-size', 256), onProgress: (d) => bar.update(d) }));
      await writeNpy(out, enc.matrix);
      await writeFileAtomic(`${out.replace(/\.npy$/, '')}.ids.txt`, enc.ids.map((i) => `${i}\n`).join(''));
      process.stderr.write(`\nwrote ${enc.matrix.rows} × ${enc.matrix.dim} to ${out}\n`);
    } finally {
      bar.stop();
      encoder.dispose();
    }
    return 0;
  },
};
