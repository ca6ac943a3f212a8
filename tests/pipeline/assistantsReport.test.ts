/**
 * experimentAssistantsReport: the assistants report of an experiment config (what `mta4dpr
 * assistants` prints), on the real DL19 runs of configs/assistants-dl19.json.
 */
import { strict as assert } from 'node:assert';
import { loadExperimentConfig } from '../../lib/config';
import { experimentAssistantsReport } from '../../lib/pipeline/assistantsReport';

describe('assistants report on DL19 (the CLI\'s computation)', function () {
  this.timeout(60000);
  it('reproduces the runs\' published nDCG@10 and finds fused closer than the assistants\' average in KL', async () => {
    const r = await experimentAssistantsReport(loadExperimentConfig('configs/assistants-dl19.json'));
    const ndcg = Object.fromEntries(r.rows.map((row) => [row.name, row.quality['nDCG@10']]));
    assert.ok(Math.abs(ndcg.SPLADE_P_P_ENSEMBLE_DISTIL - 0.7308) < 5e-5);
    assert.ok(Math.abs(ndcg.BM25 - 0.5058) < 5e-5);
    assert.equal(r.queries, 43);
    assert.equal(r.fusedCloserThanAverage.kl, true); // convexity of KL: must hold on any data
    assert.equal(Object.values(r.perQueryKlChoice).reduce((a, b) => a + b, 0), 43);
  });
});
