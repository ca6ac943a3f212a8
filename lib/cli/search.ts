/**
 * `mta4dpr search`: dense retrieval with a dual encoder over a corpus (TSV or JSONL, .gz ok),
 * exact inner-product top-k, written as a TREC run — or over shards that `encode --shard i/n`
 * wrote (`--shards A.npy,B.npy,…`, merged per query; the model then encodes the queries only). Flags and the output are checked before any
 * data is read; every skipped input line is reported with file:line (`--strict`: an error).
 */
import type { Command } from '../cli';
import { initBackend } from '../backend';
import { readJsonlCollection } from '../data/jsonl';
import { readTsvCollection, readTsvQueries } from '../data/tsv';
import { writeTrecRun } from '../data/trec';
import type { Collection } from '../data/types';
import { existsSync } from 'node:fs';
import { searchShards } from '../retrieval/shards';
import { ensureWritableFile, ensureWritableFolder, lockFile } from '../io';
import { loadEncoder } from '../models/loadEncoder';
import { withFastEncoder } from '../models/onnx';
import { encodeCorpus } from '../retrieval/encodeCorpus';
import { searchToRun } from '../retrieval/search';
import { hnswIndex } from '../retrieval/hnsw';
import { intFlag, nameFlag, parseFlags, requireFlag, UsageError } from './args';
import { reportLoad } from './input-report';
import { progressBar } from '../retrieval/progressBar';

const usage = 'mta4dpr search --model DIR|glove:default (--corpus FILE(.tsv|.jsonl)[.gz] | --shards A.npy,B.npy,...) --queries FILE.tsv --out RUN.trec [--k 100] [--tag NAME] [--cache DIR] [--hnsw] [--strict]';

async function readCollection(path: string, strict: boolean): Promise<Collection> {
  const loaded = /\.jsonl(\.gz)?$/.test(path) ? await readJsonlCollection(path, { strict }) : await readTsvCollection(path, { strict });
  reportLoad(loaded.report, 'passages');
  return loaded.value;
}

export const command: Command = {
  summary: 'dense retrieval over a corpus into a TREC run',
  async run(argv) {
    const f = parseFlags(argv, {
      model: { type: 'string' }, corpus: { type: 'string' }, queries: { type: 'string' }, out: { type: 'string' }, k: { type: 'string' },
      tag: { type: 'string' }, cache: { type: 'string' }, shards: { type: 'string' }, hnsw: { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean' },
    }, usage);
    if (f.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    const shards = typeof f.shards === 'string' ? f.shards.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    if (shards && f.corpus !== undefined) throw new UsageError('give --corpus or --shards, not both', usage);
    if (shards && (f.hnsw || f.cache !== undefined)) throw new UsageError('--shards searches exactly from the shards\' embeddings: no --hnsw or --cache', usage);
    const [model, queriesPath, out] = ['model', 'queries', 'out'].map((n) => requireFlag(f, n, usage));
    const corpusPath = shards ? '' : requireFlag(f, 'corpus', usage);
    const k = intFlag(f, 'k', 100, 1, 1_000_000, usage);
    const tag = nameFlag(f, 'tag', usage) ?? `dense-${model.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
    const cache = typeof f.cache === 'string' ? ensureWritableFolder(f.cache) : undefined;
    const strict = f.strict === true;
    // The output is checked and locked before the corpus is read or encoded.
    ensureWritableFile(out);
    const lock = lockFile(out, 'mta4dpr search');
    try {
      if (shards) {
        for (const s of shards) if (!existsSync(s)) throw new UsageError(`--shards: ${s} not found`, usage);
        const qLoaded = await readTsvQueries(queriesPath, { strict });
        reportLoad(qLoaded.report, 'queries');
        await initBackend();
        if (model.startsWith('glove:')) throw new UsageError('--shards needs a model folder: a GloVe model takes its idf from the corpus, which the shards do not hold', usage);
        const { model: encoder } = await loadEncoder(model, {});
        try {
          const queries = [...qLoaded.value.queries.values()];
          const q = await withFastEncoder(encoder, (e) => e.encode(queries.map((x) => x.text), 'query'));
          const run = searchShards(tag, queries.map((x) => x.id), q, shards, k);
          await writeTrecRun(out, run, tag);
          process.stderr.write(`wrote ${run.byQuery.size} queries × top ${k} over ${shards.length} shard(s) to ${out}\n`);
        } finally {
          encoder.dispose();
        }
        return 0;
      }
      const collection = await readCollection(corpusPath, strict);
      const qLoaded = await readTsvQueries(queriesPath, { strict });
      reportLoad(qLoaded.report, 'queries');
      await initBackend();
      const passages = [...collection.passages.values()];
      const { model: encoder, coverage } = await loadEncoder(model, { idfTexts: passages.map((p) => p.text) });
      if (coverage) process.stderr.write(`GloVe coverage: ${coverage.vocabCovered}/${coverage.vocabSize} word pieces${coverage.tokenFraction !== undefined ? `, ${(100 * coverage.tokenFraction).toFixed(1)}% of corpus tokens` : ''}\n`);
      const bar = progressBar('encode passages', passages.length);
      try {
        const corpus = await withFastEncoder(encoder, (e) => encodeCorpus(e, passages, { batchSize: 256, cacheDir: cache, onProgress: (d) => bar.update(d) }));
        bar.stop();
        const queries = [...qLoaded.value.queries.values()].map((q) => ({ id: q.id, text: q.text }));
        const run = await searchToRun(encoder, queries, corpus, { k, name: tag, index: f.hnsw ? hnswIndex(corpus.matrix) : undefined });
        await writeTrecRun(out, run, tag);
        process.stderr.write(`wrote ${run.byQuery.size} queries × top ${Math.min(k, passages.length)} to ${out}\n`);
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
