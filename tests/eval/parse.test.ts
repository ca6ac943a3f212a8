/** Measure strings: ir_measures syntax, trec_eval names, and clear errors. */
import { strict as assert } from 'node:assert';
import { parseMeasure, parseMeasureList, MeasureSyntaxError } from '../../lib/eval';

describe('eval: parseMeasure', () => {
  it('parses family, cutoff and rel level', () => {
    const m = parseMeasure('RR(rel=2)@10');
    assert.equal(m.definition.family, 'RR');
    assert.equal(m.cutoff, 10);
    assert.equal(m.relLevel, 2);
    assert.equal(parseMeasure('AP').cutoff, undefined);
    assert.equal(parseMeasure('nDCG').definition.family, 'nDCG');
    assert.equal(parseMeasure('Judged@10').definition.family, 'Judged');
    assert.equal(parseMeasure('ndcg_cut_10').cutoff, 10);
    assert.equal(parseMeasure('P_5').definition.family, 'P');
    assert.equal(parseMeasure('recall_100').definition.family, 'R');
    assert.equal(parseMeasure('map').definition.family, 'AP');
  });
  it('rejects unknown measures, missing cutoffs, zero cutoffs and rel= on graded measures', () => {
    assert.throws(() => parseMeasure('foo@10'), (e: Error) => e instanceof MeasureSyntaxError && /unknown measure 'foo@10'/.test(e.message));
    assert.throws(() => parseMeasure('P'), /needs a cutoff/);
    assert.throws(() => parseMeasure('Judged'), /needs a cutoff/);
    assert.throws(() => parseMeasure('nDCG@0'), /at least 1/);
    assert.throws(() => parseMeasure('nDCG(rel=2)@10'), /takes no rel=/);
    assert.throws(() => parseMeasure('nDCG@ten'), /cannot parse/);
    assert.throws(() => parseMeasureList('AP,AP'), /twice/);
    assert.throws(() => parseMeasureList(' , '), /no measure/);
  });
});
