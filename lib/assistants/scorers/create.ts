/**
 * The one scorer factory: a validated model reference (lib/config/model.ts) → a Scorer. Run and
 * rank references read the split's runs (or run files); BM25 is computed over the collection;
 * dense and cross-encoder references open their folder on the fastest engine. Every scorer's
 * cacheKey is a content fingerprint (run entries, BM25 parameters, model folder bytes + settings
 * + engine), so cached scores never outlive the model they came from.
 */
import { isAbsolute, resolve } from 'node:path';
import { runSystemOf, type ModelRef } from '../../config/model';
import type { Run } from '../../data/types';
import { sha256 } from '../../io';
import { openCrossEncoder } from '../../models/crossEncoder';
import { openDenseEncoder } from '../../models/denseFolder';
import type { Scorer } from '../types';
import { Bm25Scorer } from './bm25';
import { CrossEncoderScorer } from './crossEncoder';
import { DenseScorer } from './dense';
import { folderFingerprint, runFingerprint } from './fingerprint';
import { RankOnlyScorer, RunFileScorer } from './runFile';

/** Where a reference's inputs come from. */
export interface ScorerContext {
  /** The split's or dataset's name, for errors. */
  readonly source: string;
  /** Runs by system name (a loaded split's). */
  readonly runs?: ReadonlyMap<string, Run>;
  /** Run files by system name (a registry dataset's), read when `runs` lacks the system. */
  readonly runFiles?: Readonly<Record<string, string>>;
  /** Folder that relative model paths are resolved against (the config file's); default the working directory. */
  readonly baseDir?: string;
}

async function runScorer(ref: Extract<ModelRef, { kind: 'run' | 'rank' }>, ctx: ScorerContext): Promise<Scorer> {
  const system = runSystemOf(ref)!;
  const run = ctx.runs?.get(system);
  if (run) {
    const key = `${ref.kind}:${runFingerprint(run)}`;
    return ref.kind === 'rank' ? new RankOnlyScorer(ref.name, run, key) : new RunFileScorer(ref.name, run, key);
  }
  const path = ctx.runFiles?.[system];
  if (path) return ref.kind === 'rank' ? RankOnlyScorer.fromFile(path, ref.name) : RunFileScorer.fromFile(path, ref.name);
  const have = [...(ctx.runs?.keys() ?? []), ...Object.keys(ctx.runFiles ?? {})];
  throw new RangeError(`${ctx.source} has no run '${system}' for model '${ref.name}' (runs: ${have.join(', ') || 'none'})`);
}

/** A Scorer for `ref`; folder-backed scorers hold a model until `dispose()`. */
export async function createScorer(ref: ModelRef, ctx: ScorerContext): Promise<Scorer> {
  switch (ref.kind) {
    case 'run':
    case 'rank':
      return runScorer(ref, ctx);
    case 'bm25':
      return new Bm25Scorer(ref.name, { k1: ref.k1, b: ref.b, fields: ref.fields });
    case 'dense': {
      const dir = isAbsolute(ref.path) ? ref.path : resolve(ctx.baseDir ?? process.cwd(), ref.path);
      const fingerprint = folderFingerprint(dir);
      const opened = await openDenseEncoder(dir, ref);
      const { name: _n, path: _p, batchSize: _b, engine: _e, ...settings } = ref;
      const cacheKey = sha256('dense', fingerprint, settings, opened.engine);
      return new DenseScorer(opened.encoder, { name: ref.name, batchSize: ref.batchSize, cacheKey, dispose: () => opened.dispose() });
    }
    case 'cross-encoder': {
      const dir = isAbsolute(ref.path) ? ref.path : resolve(ctx.baseDir ?? process.cwd(), ref.path);
      const fingerprint = folderFingerprint(dir);
      const model = await openCrossEncoder(dir, ref);
      const cacheKey = sha256('cross-encoder', fingerprint, { maxLength: model.maxLength, positiveLabel: model.positiveLabel, format: ref.format }, model.engine);
      return new CrossEncoderScorer(ref.name, model, cacheKey);
    }
  }
}

/** Releases every scorer that holds a model (the rest have no `dispose`). */
export async function disposeScorers(scorers: readonly Scorer[]): Promise<void> {
  for (const s of scorers) await s.dispose?.();
}
