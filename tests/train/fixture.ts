/**
 * A small hand-made retrieval world for trainer tests: 12 queries about distinct topics, 10
 * candidate passages each, graded qrels, and a score table with a teacher and two assistants
 * whose scores come from word overlap (so they carry real signal).
 */
import type { Collection, Passage, Qrels, QuerySet } from '../../lib/data/types';
import type { QueryScores, ScoreTable } from '../../lib/assistants/types';

const TOPICS = ['river', 'volcano', 'piano', 'comet', 'glacier', 'desert', 'violin', 'orchid', 'falcon', 'harbor', 'meteor', 'canyon'];
const FILLER = ['the', 'a', 'history', 'people', 'city', 'year', 'large', 'small', 'known', 'region', 'water', 'music'];

export interface Fixture {
  readonly collection: Collection;
  readonly queries: QuerySet;
  readonly qrels: Qrels;
  readonly table: ScoreTable;
}

function overlap(a: string, b: string): number {
  const x = new Set(a.split(' '));
  return b.split(' ').filter((w) => x.has(w)).length;
}

export function makeFixture(): Fixture {
  const passages = new Map<string, Passage>();
  const queries = new Map<string, { id: string; text: string }>();
  const judgments = new Map<string, Map<string, number>>();
  const byQuery = new Map<string, QueryScores>();
  TOPICS.forEach((topic, q) => {
    const qid = `q${q}`;
    const text = `${topic} facts ${FILLER[q]}`;
    queries.set(qid, { id: qid, text });
    const docIds: string[] = [];
    const judged = new Map<string, number>();
    for (let j = 0; j < 10; j++) {
      const id = `d${q}_${j}`;
      // Passages 0–1 are about the topic (grades 3 and 1), 2 is judged non-relevant, the rest are other topics.
      const other = TOPICS[(q + j) % TOPICS.length];
      const body = j < 2 ? `${topic} ${topic} facts ${FILLER[(q + j) % 12]} ${FILLER[(q + 2 * j) % 12]}` : `${other} ${FILLER[(q + j) % 12]} ${FILLER[(j * 5) % 12]} facts`;
      passages.set(id, { id, text: body });
      docIds.push(id);
      if (j === 0) judged.set(id, 3);
      if (j === 1) judged.set(id, 1);
      if (j === 2) judged.set(id, 0);
    }
    judgments.set(qid, judged);
    const teacher = Float64Array.from(docIds, (d, j) => 100 * overlap(text, passages.get(d)!.text) + j * 0.1);
    const a1 = Float64Array.from(docIds, (d) => overlap(text, passages.get(d)!.text) + 0.5);
    const a2 = Float64Array.from(docIds, (_d, j) => (j % 3) * 0.3);
    byQuery.set(qid, { queryId: qid, docIds, scores: [teacher, a1, a2] });
  });
  return {
    collection: { name: 'tiny', passages },
    queries: { name: 'tiny', queries },
    qrels: { name: 'tiny', judgments },
    table: {
      models: [
        { name: 'teacher', role: 'teacher' },
        { name: 'overlap', role: 'assistant' },
        { name: 'noise', role: 'assistant' },
      ],
      byQuery,
    },
  };
}
