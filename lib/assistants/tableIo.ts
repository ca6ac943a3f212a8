/**
 * Saving and loading whole score tables as JSON (NaN stored as null), written atomically and
 * validated with zod on load, so a truncated or foreign file fails with its path and reason.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, writeFileAtomic } from '../io';
import type { QueryScores, ScoreTable } from './types';

const FORMAT = 'mta4dpr-score-table';

const TableFile = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  models: z.array(z.object({ name: z.string().min(1), role: z.enum(['teacher', 'assistant', 'student']) })).min(1),
  queries: z.array(z.object({
    queryId: z.string().min(1),
    docIds: z.array(z.string().min(1)),
    scores: z.array(z.array(z.number().nullable())),
  })),
});

/** Writes a score table to `path` (JSON, atomic). */
export async function saveScoreTable(path: string, table: ScoreTable): Promise<void> {
  const queries = [...table.byQuery.values()].map((q) => ({
    queryId: q.queryId,
    docIds: q.docIds,
    scores: q.scores.map((s) => Array.from(s, (v) => (Number.isNaN(v) ? null : v))),
  }));
  await writeFileAtomic(path, JSON.stringify({ format: FORMAT, version: 1, models: table.models, queries }));
}

/** Reads a score table written by {@link saveScoreTable}; shape errors name the file. */
export async function loadScoreTable(path: string): Promise<ScoreTable> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, undefined, `not a JSON score table: ${(e as Error).message}`);
  }
  const parsed = TableFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(path, undefined, `invalid score table at ${issue.path.join('.')}: ${issue.message}`);
  }
  const v = parsed.data;
  const byQuery = new Map<string, QueryScores>();
  for (const q of v.queries) {
    if (q.scores.length !== v.models.length) throw new InputError(path, undefined, `query ${q.queryId}: ${q.scores.length} score rows for ${v.models.length} models`);
    if (q.scores.some((s) => s.length !== q.docIds.length)) throw new InputError(path, undefined, `query ${q.queryId}: a score row does not match its ${q.docIds.length} candidates`);
    if (byQuery.has(q.queryId)) throw new InputError(path, undefined, `query ${q.queryId} appears twice`);
    byQuery.set(q.queryId, { queryId: q.queryId, docIds: q.docIds, scores: q.scores.map((s) => Float64Array.from(s, (x) => (x === null ? NaN : x))) });
  }
  return { models: v.models, byQuery };
}
