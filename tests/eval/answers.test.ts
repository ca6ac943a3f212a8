/** DPR-style answer matching and top-k accuracy, on hand cases and the bundled NQ sample. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasAnswer, answerTokens, topKAccuracy } from '../../lib/eval';
import type { Collection, Passage, Query, QuerySet, Run, RunEntry } from '../../lib/data/types';

const NQ = join(__dirname, '..', '..', 'data', 'fixtures', 'dpr-nq-mini', 'nq-dev.mini.jsonl');
interface Ctx { title: string; text: string; passage_id?: string }
interface NqRecord { question: string; answers: string[]; positive_ctxs: Ctx[]; negative_ctxs: Ctx[]; hard_negative_ctxs: Ctx[] }

describe('eval: DPR answer matching', () => {
  it('normalises case, accents, punctuation and articles; matches token sequences only', () => {
    assert.deepEqual(answerTokens('The Café, "Déjà-vu"!'), ['cafe', 'deja', 'vu']);
    assert.ok(hasAnswer('It was released on July 5, 2018 in Japan.', ['July 5 , 2018']));
    assert.ok(hasAnswer('flows into the Saint Lawrence River.', ['the Saint Lawrence River']));
    assert.ok(hasAnswer('Zoë Saldaña stars', ['zoe saldana']));
    assert.ok(!hasAnswer('a catalogue of cats', ['cat'])); // whole tokens, not substrings
    assert.ok(!hasAnswer('Davis Linda', ['Linda Davis'])); // order matters
    assert.ok(!hasAnswer('anything', ['the'])); // an answer of only articles never matches
    assert.ok(hasAnswer('2,000 people', ['2,000'], 'dpr-tokens'));
  });

  it('bundled NQ sample: every positive context contains an answer, no negative does', () => {
    const recs = readFileSync(NQ, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as NqRecord);
    assert.equal(recs.length, 3);
    for (const r of recs) {
      for (const c of r.positive_ctxs) assert.ok(hasAnswer(`${c.title} ${c.text}`, r.answers), r.question);
      for (const c of [...r.negative_ctxs, ...r.hard_negative_ctxs]) assert.ok(!hasAnswer(`${c.title} ${c.text}`, r.answers), r.question);
    }
  });

  it('topKAccuracy: negatives ranked above the positive give accuracy 0 at k below its rank, 1 from it', () => {
    const recs = readFileSync(NQ, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as NqRecord);
    const passages = new Map<string, Passage>();
    const queries = new Map<string, Query>();
    const byQuery = new Map<string, RunEntry[]>();
    recs.forEach((r, qi) => {
      const qid = `q${qi}`;
      queries.set(qid, { id: qid, text: r.question, answers: r.answers });
      const ranked = [...r.hard_negative_ctxs.slice(0, 4), r.positive_ctxs[0]!];
      byQuery.set(qid, ranked.map((c, i) => {
        const id = `${qid}-${i}`;
        passages.set(id, { id, title: c.title, text: c.text });
        return { docId: id, score: 10 - i, rank: i + 1 };
      }));
    });
    queries.set('noanswer', { id: 'noanswer', text: 'x' });
    queries.set('missing', { id: 'missing', text: 'y', answers: ['z'] });
    const run: Run = { name: 'r', byQuery };
    const res = topKAccuracy(run, { name: 'nq', queries } as QuerySet, { name: 'c', passages } as Collection, [1, 4, 5, 20]);
    assert.equal(res.questions, 4);
    assert.deepEqual(res.accuracy, { 1: 0, 4: 0, 5: 3 / 4, 20: 3 / 4 });
    assert.deepEqual(res.missingFromRun, ['missing']);
    assert.deepEqual(res.withoutAnswers, ['noanswer']);
  });
});
