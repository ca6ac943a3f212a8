/**
 * `mta4dpr encode`: embeds a TSV of `id\ttext` with a dual encoder into a float32 .npy (input order)
 * plus `<out>.ids.txt`. Flags and the output are checked before the input is read; every skipped
 * input line is reported with file:line, and `--strict` makes any skip an error. `--shard i/n`
 * embeds only the i-th contiguous slice (independent jobs; `search --shards` merges them), and
 * `--cache DIR` keeps finished chunks, so a killed job resumes.
 */
import type { Command } from '../cli';
import { initBackend } from '../backend';
import { readTsvCollection, readTsvQueries } from '../data/tsv';
import { loadEncoder } from '../models/loadEncoder';
import { withFastEncoder } from '../models/onnx';
import { encodeCorpus } from '../retrieval/encodeCorpus';
import { writeNpy } from '../retrieval/npy';
import { writeFileAtomic } from '../io/atomic';
import { ensureWritableFile, ensureWritableFolder, lockFile } from '../io';
import { parseShard, shardRange, type ShardSpec } from '../retrieval/shards';
import { intFlag, parseFlags, requireFlag, UsageError } from './args';
import { reportLoad } from './input-report';
import { progressBar } from '../retrieval/progressBar';

const usage = 'mta4dpr encode --model DIR|glove:default --input FILE.tsv --out FILE.npy [--kind query|passage] [--pooling cls|mean|idf-mean] [--max-length N] [--batch-size N] [--shard i/n] [--cache DIR] [--strict]';

export const command: Command = {
  summary: 'embed a TSV of id<TAB>text into a float32 .npy (+ .ids.txt)',
  async run(argv) {
    const f = parseFlags(argv, {
      model: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, kind: { type: 'string' },
      pooling: { type: 'string' }, 'max-length': { type: 'string' }, 'batch-size': { type: 'string' }, shard: { type: 'string' }, cache: { type: 'string' }, strict: { type: 'boolean' }, help: { type: 'boolean' },
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
    const maxLength = intFlag(f, 'max-length', 0, 1, 65536, usage);
    const batchSize = intFlag(f, 'batch-size', 256, 1, 1 << 20, usage);
    let shard: ShardSpec | undefined;
    try {
      shard = typeof f.shard === 'string' ? parseShard(f.shard) : undefined;
    } catch (e) {
      throw new UsageError((e as Error).message, usage);
    }
    const cache = typeof f.cache === 'string' ? ensureWritableFolder(f.cache) : undefined;
    // The output is checked and locked before the input is read or a model loaded.
    ensureWritableFile(out);
    const lock = lockFile(out, 'mta4dpr encode');
    try {
      const strict = f.strict === true;
      let rows: Array<{ id: string; text: string; title?: string }>;
      if (kind === 'query') {
        const loaded = await readTsvQueries(input, { strict });
        reportLoad(loaded.report, 'queries');
        rows = [...loaded.value.queries.values()].map((q) => ({ id: q.id, text: q.text }));
      } else {
        const loaded = await readTsvCollection(input, { strict });
        reportLoad(loaded.report, 'passages');
        rows = [...loaded.value.passages.values()].map((p) => ({ id: p.id, text: p.text, title: p.title }));
      }
      // The slice is taken after reading, so every shard of one input sees the same rows (and idf texts).
      const all = rows;
      if (shard) {
        const { start, end } = shardRange(rows.length, shard);
        rows = rows.slice(start, end);
        process.stderr.write(`shard ${shard.index}/${shard.count}: rows ${start}..${end - 1} of ${all.length}\n`);
      }
      await initBackend();
      const overrides = { ...(pooling ? { pooling: pooling as 'cls' } : {}), ...(maxLength ? (kind === 'query' ? { queryMaxLength: maxLength } : { passageMaxLength: maxLength }) : {}) };
      const { model: encoder } = await loadEncoder(model, { idfTexts: all.map((r) => r.text), overrides: Object.keys(overrides).length ? overrides : undefined });
      const bar = progressBar(kind === 'query' ? 'encode queries' : 'encode passages', rows.length);
      try {
        const enc = await withFastEncoder(encoder, (e) => encodeCorpus(e, rows, { kind, batchSize, cacheDir: cache, onProgress: (d) => bar.update(d) }));
        await writeNpy(out, enc.matrix);
        await writeFileAtomic(`${out.replace(/\.npy$/, '')}.ids.txt`, enc.ids.map((i) => `${i}\n`).join(''));
        process.stderr.write(`\nwrote ${enc.matrix.rows} × ${enc.matrix.dim} to ${out}\n`);
      } finally {
        bar.stop();
        encoder.dispose();
      }
    } finally {
      lock.release();
    }
    return 0;
  },
};
