/**
 * Loads a dataset declared in a config by its files (lib/config/dataset.ts): picks the reader of
 * each file from the spec's format, resolves paths against the config's folder, and returns the
 * same `Dataset` the embedded registry gives, with a content hash over every file read.
 */
import { firstNonSpaceChar } from './jsonRecords';
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DatasetSpec, QrelsColumns } from '../config/dataset';
import type { CandidateLists, Collection, Loaded, LoadReport, Passage, Qrels, QuerySet } from './types';
import type { Dataset, LoadDatasetOptions } from './registry';
import { readJsonlCollection, readJsonlQueries } from './jsonl';
import { readBeirQrels, readBeirQueries } from './beir';
import { readTsvCollection, readTsvQueries } from './tsv';
import { readTrecSgmlDocuments, readTrecTopics } from './sgml';
import { readSmartDocuments, readSmartQueries } from './smart';
import { readDprPassages, readDprQuestions, readDprRetrieverFile } from './dpr';
import { readQrels } from './qrels';
import { checkReferences } from './validate';
import { ChunkedMap } from './chunkedMap';
import { hashDatasetInputs } from './contentHash';

/** What the format readers produced, before it becomes a Dataset. */
interface Parts {
  readonly files: Record<string, string>;
  readonly collection: Loaded<Collection>;
  readonly queries: Loaded<QuerySet>;
  readonly qrels?: Loaded<Qrels>;
  readonly candidates?: CandidateLists;
  /** Reports of files that produced no value of their own (a second read of the queries). */
  readonly extraReports?: readonly LoadReport[];
  /** Notes on choices made while reading (auto-detected query numbering). */
  readonly notes?: readonly string[];
}

/** Where a spec path points: relative paths are relative to the config's folder. */
function at(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** The first character that is not white space, to tell JSON lines, SGML and TSV apart. */
function firstChar(path: string): Promise<string | undefined> {
  // The reader that follows reports an unreadable file with its name.
  return firstNonSpaceChar(path).catch(() => undefined);
}

function qrelsOf(path: string | undefined, name: string, strict: boolean | undefined, columns: QrelsColumns, numericIds = false): Promise<Loaded<Qrels> | undefined> {
  return path === undefined ? Promise.resolve(undefined) : readQrels(path, { name, strict, columns, numericIds });
}

/** A BEIR folder: corpus.jsonl(.gz), queries.jsonl(.gz) and qrels/NAME.tsv. */
async function beirParts(name: string, dir: string, qrelsName: string, strict: boolean | undefined): Promise<Parts> {
  const pick = (stem: string): string => {
    for (const f of [`${stem}.jsonl`, `${stem}.jsonl.gz`]) if (existsSync(join(dir, f))) return join(dir, f);
    throw new Error(`dataset ${name}: BEIR folder ${dir} has no ${stem}.jsonl or ${stem}.jsonl.gz`);
  };
  const qrelsPath = join(dir, 'qrels', `${qrelsName}.tsv`);
  if (!existsSync(qrelsPath)) {
    let known: string[] = [];
    try {
      known = readdirSync(join(dir, 'qrels')).filter((f) => f.endsWith('.tsv')).map((f) => f.slice(0, -4));
    } catch {
      // No qrels folder: the message says which file was expected.
    }
    throw new Error(`dataset ${name}: ${qrelsPath} not found (qrels: "${qrelsName}"; available: ${known.length ? known.join(', ') : 'none'})`);
  }
  const files = { documents: pick('corpus'), queries: pick('queries'), qrels: qrelsPath };
  const [collection, queries, qrels] = await Promise.all([
    readJsonlCollection(files.documents, { name, strict }),
    readBeirQueries(files.queries, { name, strict }),
    readBeirQrels(files.qrels, { name, strict }),
  ]);
  return { files, collection, queries, qrels };
}

/** SMART queries numbered as the qrels number them: `.I` numbers, or 1..n in file order (Cranfield). */
async function smartQueries(name: string, path: string, qrels: Qrels | undefined, ids: 'auto' | 'original' | 'sequential', strict: boolean | undefined): Promise<{ queries: Loaded<QuerySet>; note?: string }> {
  if (ids !== 'auto') return { queries: await readSmartQueries(path, { name, strict, ids }) };
  const original = await readSmartQueries(path, { name, strict, ids: 'original' });
  if (!qrels) return { queries: original };
  const judged = [...qrels.judgments.keys()];
  const known = (q: QuerySet): number => judged.filter((id) => q.queries.has(id)).length;
  const byOriginal = known(original.value);
  if (byOriginal === judged.length) return { queries: original };
  const sequential = await readSmartQueries(path, { name, strict, ids: 'sequential' });
  const bySequential = known(sequential.value);
  if (bySequential <= byOriginal) return { queries: original };
  return {
    queries: sequential,
    note: `queries numbered 1..n in file order, as the qrels number them (${bySequential} of ${judged.length} judged ids match, against ${byOriginal} by the .I numbers); set "queryIds" to choose`,
  };
}

async function readParts(name: string, spec: DatasetSpec, baseDir: string, strict: boolean | undefined): Promise<Parts> {
  switch (spec.format) {
    case 'beir':
      return beirParts(name, at(baseDir, spec.dir), spec.qrels, strict);
    case 'msmarco': {
      const files: Record<string, string> = { documents: at(baseDir, spec.documents), queries: at(baseDir, spec.queries) };
      if (spec.qrels) files.qrels = at(baseDir, spec.qrels);
      const [collection, queries, qrels] = await Promise.all([
        readTsvCollection(files.documents, { name, strict }),
        readTsvQueries(files.queries, { name, strict }),
        qrelsOf(files.qrels, name, strict, spec.qrelsColumns),
      ]);
      return { files, collection, queries, qrels };
    }
    case 'trec': {
      const files: Record<string, string> = { documents: at(baseDir, spec.documents), queries: at(baseDir, spec.queries) };
      if (spec.qrels) files.qrels = at(baseDir, spec.qrels);
      const docFormat = spec.documentsFormat !== 'auto' ? spec.documentsFormat
        : /\.jsonl(\.gz)?$/.test(files.documents) ? 'jsonl' : /\.tsv(\.gz)?$/.test(files.documents) ? 'tsv' : 'sgml';
      const topicFormat = spec.queriesFormat !== 'auto' ? spec.queriesFormat : (await firstChar(files.queries)) === '<' ? 'sgml' : 'tsv';
      const [collection, queries, qrels] = await Promise.all([
        docFormat === 'jsonl' ? readJsonlCollection(files.documents, { name, strict })
          : docFormat === 'tsv' ? readTsvCollection(files.documents, { name, strict })
          : readTrecSgmlDocuments(files.documents, { name, strict }),
        topicFormat === 'sgml' ? readTrecTopics(files.queries, { name, strict }) : readTsvQueries(files.queries, { name, strict }),
        qrelsOf(files.qrels, name, strict, spec.qrelsColumns),
      ]);
      return { files, collection, queries, qrels };
    }
    case 'smart': {
      const files: Record<string, string> = { documents: at(baseDir, spec.documents), queries: at(baseDir, spec.queries) };
      if (spec.qrels) files.qrels = at(baseDir, spec.qrels);
      const [collection, qrels] = await Promise.all([
        readSmartDocuments(files.documents, { name, strict }),
        qrelsOf(files.qrels, name, strict, spec.qrelsColumns, true),
      ]);
      const { queries, note } = await smartQueries(name, files.queries, qrels?.value, spec.queryIds, strict);
      return { files, collection, queries, qrels, ...(note ? { notes: [note] } : {}) };
    }
    case 'dpr': {
      const files: Record<string, string> = {};
      if (spec.retriever) files.retriever = at(baseDir, spec.retriever);
      if (spec.documents) files.documents = at(baseDir, spec.documents);
      if (spec.queries) files.queries = at(baseDir, spec.queries);
      const [retriever, psgs, questions] = await Promise.all([
        files.retriever ? readDprRetrieverFile(files.retriever, { name, strict }) : undefined,
        files.documents ? readDprPassages(files.documents, { name, strict }) : undefined,
        files.queries ? readDprQuestions(files.queries, { name, strict }) : undefined,
      ]);
      const collection = mergeCollections(name, retriever?.value.collection, psgs);
      if (questions) return { files, collection, queries: questions, ...(retriever ? { extraReports: [retriever.report] } : {}) };
      const r = retriever!;
      return { files, collection, queries: { value: r.value.queries, report: r.report }, qrels: { value: r.value.qrels, report: r.report }, candidates: r.value.candidates };
    }
    case 'jsonl': {
      const files: Record<string, string> = { documents: at(baseDir, spec.documents), queries: at(baseDir, spec.queries) };
      if (spec.qrels) files.qrels = at(baseDir, spec.qrels);
      const queriesAreJson = (await firstChar(files.queries)) === '{';
      const [collection, queries, qrels] = await Promise.all([
        readJsonlCollection(files.documents, { name, strict }),
        queriesAreJson ? readJsonlQueries(files.queries, { name, strict }) : readTsvQueries(files.queries, { name, strict }),
        qrelsOf(files.qrels, name, strict, spec.qrelsColumns),
      ]);
      return { files, collection, queries, qrels };
    }
  }
}

/** The psgs TSV's passages, with the retriever file's contexts added where the TSV lacks them. */
function mergeCollections(name: string, fromRetriever: Collection | undefined, psgs: Loaded<Collection> | undefined): Loaded<Collection> {
  if (!psgs) return { value: fromRetriever!, report: { file: '(retriever contexts)', records: fromRetriever!.passages.size, skipped: [], suspicious: [], warnings: [], notes: [] } };
  if (!fromRetriever) return psgs;
  const extra = [...fromRetriever.passages].filter(([id]) => !psgs.value.passages.has(id));
  // DPR's contexts are psgs_w100 passages: copying 21M entries to add none would double the Map.
  if (extra.length === 0) return { value: { name, passages: psgs.value.passages }, report: psgs.report };
  const passages = new ChunkedMap<string, Passage>(psgs.value.passages);
  for (const [id, p] of extra) passages.set(id, p);
  return { value: { name, passages }, report: psgs.report };
}

/** Spec fields that change what the bytes mean (not paths, names or descriptions). */
function parsingOptions(spec: DatasetSpec): object {
  const { format } = spec;
  switch (spec.format) {
    case 'beir': return { format, qrels: spec.qrels };
    case 'trec': return { format, documentsFormat: spec.documentsFormat, queriesFormat: spec.queriesFormat, qrelsColumns: spec.qrelsColumns };
    case 'smart': return { format, queryIds: spec.queryIds, qrelsColumns: spec.qrelsColumns };
    case 'msmarco':
    case 'jsonl': return { format, qrelsColumns: spec.qrelsColumns };
    case 'dpr': return { format };
  }
}

/** Loads the dataset `name` declared by `spec`, its paths relative to `baseDir` (the config file's folder). */
export async function loadDatasetFromSpec(name: string, spec: DatasetSpec, baseDir: string, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const parts = await readParts(name, spec, baseDir, opts.strict);
  const runFiles: Record<string, string> = {};
  for (const [system, path] of Object.entries(spec.runs ?? {})) {
    const full = at(baseDir, path);
    if (!existsSync(full)) throw new Error(`dataset ${name}: run file of ${system} not found: ${full}`);
    runFiles[system] = full;
  }
  const reports = [...new Set([parts.collection.report, parts.queries.report, ...(parts.qrels ? [parts.qrels.report] : []), ...(parts.extraReports ?? [])])];
  const warnings = parts.qrels ? [...checkReferences(parts.qrels.value, parts.queries.value, parts.collection.value).warnings] : [];
  const contentHash = await hashDatasetInputs(
    { ...parts.files, ...Object.fromEntries(Object.entries(runFiles).map(([s, p]) => [`run:${s}`, p])) },
    parsingOptions(spec),
  );
  return {
    name,
    collection: parts.collection.value,
    queries: parts.queries.value,
    ...(parts.qrels ? { qrels: parts.qrels.value } : {}),
    runFiles,
    ...(parts.candidates ? { candidates: parts.candidates } : {}),
    licence: spec.licence ?? 'not declared in the config (see the terms of the data itself)',
    reports,
    warnings,
    notes: parts.notes ?? [],
    contentHash,
  };
}
