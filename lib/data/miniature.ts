/**
 * Miniatures of the full-scale datasets in their exact public formats (file names, columns,
 * separators, headers and quirks), with synthetic text, so every full-scale path runs on a laptop:
 *
 * - MS MARCO passage: collection.tsv (`pid\ttext`, pids from 0), queries.{train,dev.small}.tsv,
 *   qrels.{train,dev.small}.tsv (`qid\t0\tpid\t1`), top1000.dev (`qid\tpid\tquery\tpassage`);
 * - TREC DL 2019/2020: msmarco-test20XX-queries.tsv (more topics than are judged, as the real ones)
 *   and 20XXqrels-pass.txt (`qid Q0 pid grade`, graded 0–3, space separated);
 * - DPR NQ: wikipedia/psgs_w100.tsv (header `id\ttext\ttitle`, ids from 1, text in CSV quotes),
 *   nq/biencoder-nq-train.json (a JSON array of records with positive / negative / hard-negative
 *   ctxs), nq/nq-test.qa.csv (`question\t['answer', …]`, Python list syntax);
 * - run files (`qid Q0 pid rank score tag`) for each system name asked for, per split, under the
 *   `runs/` folders lib/data/officialLayout.ts reads, from noisy term-overlap scores (less noise
 *   for earlier names: list the teacher first).
 *
 * Text: each topic has its own made-up words; a passage mixes its topic's words with shared
 * filler; a query takes words of one relevant passage. So lexical and dense models find signal,
 * and nothing resembles the real data. The command line is data-scripts/miniature.ts; `reproduce
 * --miniature` writes the one a config needs through lib/pipeline/miniature.ts.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { namedWriteError } from '../io/errors';
import { join, relative } from 'node:path';
import type { OfficialFamily } from './officialLayout';

/** Options of the miniature writers. */
export interface MiniatureOptions {
  /** Passages of each collection (default 2000). */
  readonly passages?: number;
  /** Training queries (default 200); dev and test sets are a quarter of it each. */
  readonly trainQueries?: number;
  readonly seed?: number;
  /** Systems to write run files for, best first (default: none). */
  readonly systems?: readonly string[];
  /** Ranked passages per query in each run file (default 100). */
  readonly runDepth?: number;
}

/** What a writer produced: file counts, for the caller's report. */
export interface MiniatureSummary {
  readonly root: string;
  readonly files: readonly string[];
  readonly passages: number;
  readonly queries: Record<string, number>;
}

/** Mulberry32: a small seeded generator (the miniature is the same for the same seed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'po', 'da', 'fe', 'gu', 'hi', 'jo', 'bre', 'tal', 'mon', 'dex', 'qui'];
const FILLER = ['the', 'of', 'and', 'a', 'in', 'is', 'to', 'was', 'for', 'on', 'with', 'as', 'by', 'that', 'it', 'from', 'are', 'at'];

interface Corpus {
  readonly passages: string[];
  /** Each passage's words, split once: re-splitting them per query and system was most of a 100k-query miniature's 9 minutes. */
  readonly words: string[][];
  /** The same words as ids of `wordIds`, for overlap counts by stamping instead of string sets. */
  readonly ids: Int32Array[];
  readonly wordIds: Map<string, number>;
  /** Scratch of the overlap counts: `stamp[id] === mark` where the word is one of the current query's. */
  readonly stamp: Int32Array;
  mark: number;
  readonly topicOf: number[];
  readonly titles: string[];
  readonly byTopic: number[][];
}

function makeCorpus(n: number, random: () => number): Corpus {
  const topics = Math.max(4, Math.round(n / 40));
  const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
  const vocab = Array.from({ length: topics }, () => Array.from({ length: 12 }, word));
  const passages: string[] = [];
  const passageWords: string[][] = [];
  const ids: Int32Array[] = [];
  const wordIds = new Map<string, number>();
  const idOf = (w: string) => {
    let id = wordIds.get(w);
    if (id === undefined) wordIds.set(w, (id = wordIds.size));
    return id;
  };
  const topicOf: number[] = [];
  const titles: string[] = [];
  const byTopic: number[][] = Array.from({ length: topics }, () => []);
  for (let i = 0; i < n; i++) {
    const t = Math.floor(random() * topics);
    const words = Array.from({ length: 30 + Math.floor(random() * 30) }, () => (random() < 0.45 ? vocab[t][Math.floor(random() * 12)] : random() < 0.15 ? vocab[Math.floor(random() * topics)][Math.floor(random() * 12)] : FILLER[Math.floor(random() * FILLER.length)]));
    passages.push(words.join(' '));
    passageWords.push(words);
    ids.push(Int32Array.from(words, idOf));
    topicOf.push(t);
    titles.push(`${vocab[t][0]} ${vocab[t][1]}`.replace(/^\w/, (c) => c.toUpperCase()));
    byTopic[t].push(i);
  }
  return { passages, words: passageWords, ids, wordIds, stamp: new Int32Array(wordIds.size), mark: 0, topicOf, titles, byTopic };
}

interface QuerySample {
  readonly text: string;
  /** The passage the query was drawn from (relevant), and others of its topic that share a query word (partly relevant). */
  readonly positive: number;
  readonly related: number[];
  /** A word of the positive that serves as the answer string (NQ). */
  readonly answer: string;
}

function sampleQuery(c: Corpus, random: () => number): QuerySample {
  const positive = Math.floor(random() * c.passages.length);
  const words = c.words[positive].filter((w) => !FILLER.includes(w));
  const pick = () => words[Math.floor(random() * words.length)] ?? 'kalo';
  const qwords = Array.from({ length: 3 + Math.floor(random() * 3) }, pick);
  stampWords(c, qwords);
  const related = c.byTopic[c.topicOf[positive]].filter((p) => p !== positive && overlapCount(c, p) > 0).slice(0, 8);
  return { text: [...new Set(qwords)].join(' '), positive, related, answer: pick() };
}

/** Marks `words` as the current query's; a word no passage has (the fallback of an all-filler passage) matches nothing, as before. */
function stampWords(c: Corpus, words: readonly string[]): void {
  c.mark += 1;
  for (const w of words) {
    const id = c.wordIds.get(w);
    if (id !== undefined) c.stamp[id] = c.mark;
  }
}

/** How many of passage `pid`'s words (with repeats) are stamped. */
function overlapCount(c: Corpus, pid: number): number {
  const ids = c.ids[pid];
  let k = 0;
  for (let i = 0; i < ids.length; i++) if (c.stamp[ids[i]] === c.mark) k += 1;
  return k;
}

/** Noisy overlap scores of every passage of the query's topic plus random others, best `depth` first. */
function rankFor(c: Corpus, q: QuerySample, noise: number, depth: number, random: () => number): Array<{ pid: number; score: number }> {
  stampWords(c, q.text.split(' '));
  const pool = new Set<number>([...c.byTopic[c.topicOf[q.positive]], ...Array.from({ length: depth }, () => Math.floor(random() * c.passages.length))]);
  const scored = [...pool].map((pid) => {
    const overlap = overlapCount(c, pid) / Math.sqrt(c.ids[pid].length);
    return { pid, score: overlap + (pid === q.positive ? 0.3 : 0) + noise * (random() * 2 - 1) };
  });
  return scored.sort((a, b) => b.score - a.score || a.pid - b.pid).slice(0, depth);
}

/** Writes a run file, one query's ranked lines at a time (a whole file as one string passes V8's string limit at ~1M queries). */
function writeRun(files: string[], path: string, ids: readonly string[], queries: readonly QuerySample[], c: Corpus, system: string, rank: number, depth: number, random: () => number, pidOf: (i: number) => string): void {
  const noise = 0.15 + 0.25 * rank;
  writeStreamed(files, path, queries.length, (i) => rankFor(c, queries[i], noise, depth, random).map((e, r) => `${ids[i]} Q0 ${pidOf(e.pid)} ${r + 1} ${e.score.toFixed(6)} ${system}\n`).join(''));
}

/** Writes `pieceOf(0) … pieceOf(count − 1)` to `path` in ~4 MB writes, never holding the whole text. */
function writeStreamed(files: string[], path: string, count: number, pieceOf: (i: number) => string): void {
  try {
    const fd = openSync(path, 'w');
    try {
      let buffer = '';
      for (let i = 0; i < count; i++) {
        buffer += pieceOf(i);
        if (buffer.length >= 1 << 22) {
          writeSync(fd, buffer);
          buffer = '';
        }
      }
      if (buffer) writeSync(fd, buffer);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    // ENOSPC or EACCES deep in a miniature would otherwise not say which file.
    throw namedWriteError(path, e);
  }
  files.push(path);
}

function write(files: string[], path: string, text: string): void {
  writeStreamed(files, path, 1, () => text);
}

/** Writes the MS MARCO passage and TREC DL 2019/2020 miniature under `root` (official layout). */
export function writeMsmarcoMiniature(root: string, opts: MiniatureOptions = {}): MiniatureSummary {
  const random = rng(opts.seed ?? 1);
  const n = opts.passages ?? 2000;
  const depth = opts.runDepth ?? 100;
  const c = makeCorpus(n, random);
  const files: string[] = [];
  const marco = join(root, 'msmarco-passage');
  mkdirSync(marco, { recursive: true });
  writeStreamed(files, join(marco, 'collection.tsv'), c.passages.length, (i) => `${i}\t${c.passages[i]}\n`);
  const nTrain = opts.trainQueries ?? 200;
  const sets: Record<string, { ids: string[]; qs: QuerySample[] }> = {};
  const make = (count: number, firstId: number) => {
    const qs = Array.from({ length: count }, () => sampleQuery(c, random));
    return { ids: qs.map((_, i) => String(firstId + i * 7)), qs };
  };
  sets.train = make(nTrain, 121352);
  sets['dev.small'] = make(Math.max(10, Math.round(nTrain / 4)), 2);
  for (const [part, s] of Object.entries(sets)) {
    write(files, join(marco, `queries.${part}.tsv`), s.qs.map((q, i) => `${s.ids[i]}\t${q.text}\n`).join(''));
    write(files, join(marco, `qrels.${part}.tsv`), s.qs.map((q, i) => `${s.ids[i]}\t0\t${q.positive}\t1\n`).join(''));
  }
  // BM25-style candidates of the dev queries with their texts, as top1000.dev ships them.
  const dev = sets['dev.small'];
  // Streamed per query: with the passage texts it passes V8's string limit at 250k dev queries.
  writeStreamed(files, join(marco, 'top1000.dev'), dev.qs.length, (i) => rankFor(c, dev.qs[i], 0.3, Math.min(depth, 50), random).map((e) => `${dev.ids[i]}\t${e.pid}\t${dev.qs[i].text}\t${c.passages[e.pid]}\n`).join(''));
  const queryCounts: Record<string, number> = { 'msmarco-passage/train': sets.train.qs.length, 'msmarco-passage/dev/small': dev.qs.length };
  const runSets: Array<{ dir: string; ids: string[]; qs: QuerySample[] }> = [
    { dir: join(marco, 'runs', 'train'), ...sets.train }, { dir: join(marco, 'runs', 'dev.small'), ...dev },
  ];
  for (const year of [2019, 2020] as const) {
    const dir = join(root, `trec-dl-${year}`);
    mkdirSync(dir, { recursive: true });
    const topics = make(Math.max(8, Math.round(nTrain / 8)), year === 2019 ? 19335 : 23849);
    // Like the real topic files: more topics than NIST judged (the first 60% here).
    const judged = Math.ceil(topics.qs.length * 0.6);
    write(files, join(dir, `msmarco-test${year}-queries.tsv`), topics.qs.map((q, i) => `${topics.ids[i]}\t${q.text}\n`).join(''));
    const qrels: string[] = [];
    topics.qs.slice(0, judged).forEach((q, i) => {
      qrels.push(`${topics.ids[i]} Q0 ${q.positive} 3`);
      q.related.forEach((p, j) => qrels.push(`${topics.ids[i]} Q0 ${p} ${j % 3}`));
    });
    write(files, join(dir, `${year}qrels-pass.txt`), `${qrels.join('\n')}\n`);
    queryCounts[`trec-dl${year % 100}-passage`] = judged;
    runSets.push({ dir: join(dir, 'runs'), ...topics });
  }
  for (const r of runSets) {
    if (!opts.systems?.length) break;
    mkdirSync(r.dir, { recursive: true });
    opts.systems.forEach((s, rank) => writeRun(files, join(r.dir, `${s}.trec`), r.ids, r.qs, c, s, rank, depth, random, String));
  }
  return { root, files, passages: n, queries: queryCounts };
}

/** A Python list literal of strings, as DPR's qa.csv writes answers (single quotes, backslash escapes). */
function pythonList(xs: readonly string[]): string {
  return `[${xs.map((x) => `'${x.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** Writes the DPR NQ miniature under `root`: wikipedia/psgs_w100.tsv and nq/ (official layout). */
export function writeNqMiniature(root: string, opts: MiniatureOptions = {}): MiniatureSummary {
  const random = rng((opts.seed ?? 1) + 7919);
  const n = opts.passages ?? 2000;
  const depth = opts.runDepth ?? 100;
  const c = makeCorpus(n, random);
  const files: string[] = [];
  const wiki = join(root, 'wikipedia');
  const nq = join(root, 'nq');
  mkdirSync(wiki, { recursive: true });
  mkdirSync(nq, { recursive: true });
  const pid = (i: number) => String(i + 1);
  // CSV-quoted text, with an embedded quote now and then (the real file's quirk: "" inside quotes).
  const quoted = (t: string, i: number) => `"${(i % 17 === 0 ? `${t} "${c.titles[i]}"` : t).replace(/"/g, '""')}"`;
  writeStreamed(files, join(wiki, 'psgs_w100.tsv'), c.passages.length + 1, (i) => (i === 0 ? 'id\ttext\ttitle\n' : `${pid(i - 1)}\t${quoted(c.passages[i - 1], i - 1)}\t${c.titles[i - 1]}\n`));
  const nTrain = opts.trainQueries ?? 200;
  const train = Array.from({ length: nTrain }, () => sampleQuery(c, random));
  const ctx = (i: number) => ({ title: c.titles[i], text: c.passages[i], score: 1000, title_score: 0, passage_id: pid(i) });
  const records = train.map((q) => {
    const ranked = rankFor(c, q, 0.3, 30, random).map((e) => e.pid).filter((p) => p !== q.positive);
    return {
      dataset: 'nq_train_psg', question: `${q.text}?`, answers: [q.answer],
      positive_ctxs: [ctx(q.positive)],
      negative_ctxs: Array.from({ length: 5 }, () => ctx(Math.floor(random() * n))).filter((x) => x.passage_id !== pid(q.positive)),
      hard_negative_ctxs: ranked.slice(0, 5).map(ctx),
    };
  });
  write(files, join(nq, 'biencoder-nq-train.json'), JSON.stringify(records, null, 4));
  const test = Array.from({ length: Math.max(10, Math.round(nTrain / 4)) }, () => sampleQuery(c, random));
  write(files, join(nq, 'nq-test.qa.csv'), test.map((q) => `${q.text}?\t${pythonList([q.answer, q.answer.toUpperCase()])}\n`).join(''));
  if (opts.systems?.length) {
    const sets = [{ dir: join(nq, 'runs', 'train'), qs: train }, { dir: join(nq, 'runs', 'test'), qs: test }];
    for (const s of sets) {
      mkdirSync(s.dir, { recursive: true });
      // DPR numbers questions by 0-based line / record index.
      const ids = s.qs.map((_, i) => String(i));
      opts.systems.forEach((name, rank) => writeRun(files, join(s.dir, `${name}.trec`), ids, s.qs, c, name, rank, depth, random, pid));
    }
  }
  return { root, files, passages: n, queries: { 'nq-dpr/train': train.length, 'nq-dpr/test': test.length } };
}

/**
 * Writes ROOT/SHA256SUMS (`sha256  path` per file, sha256sum's format) for the files of these
 * summaries: the manifest `fetch.ts --mirror` verifies a download of the miniature against.
 */
export function writeManifest(root: string, summaries: readonly MiniatureSummary[]): string {
  const lines = summaries.flatMap((s) => s.files).map((f) => `${createHash('sha256').update(readFileSync(f)).digest('hex')}  ${relative(root, f).split('\\').join('/')}`).sort((a, b) => a.slice(66).localeCompare(b.slice(66)));
  const path = join(root, 'SHA256SUMS');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Writes the miniature of one official-layout family (MS MARCO + TREC DL, or DPR NQ) under `root`. */
export function writeFamilyMiniature(family: OfficialFamily, root: string, opts: MiniatureOptions = {}): MiniatureSummary {
  return family === 'msmarco' ? writeMsmarcoMiniature(root, opts) : writeNqMiniature(root, opts);
}
