/**
 * Harder data in batches (stages/harder.ts) and the hard-block file (stages/hardBlocks.ts), on the
 * tiny real experiment (dl19-mini's runs as teacher and assistants, the hashed lexical student):
 * any batch size writes the same file as mining and scoring every query at once, and the file
 * reads back as the scored blocks; a damaged file is refused by name.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentConfig, systemConfig } from '../../lib/config';
import { runFromTable } from '../../lib/assistants/tableView';
import { StepStore } from '../../lib/pipeline/steps';
import { buildCandidates, holdOut } from '../../lib/pipeline/stages/candidates';
import { normaliseAndFuse } from '../../lib/pipeline/stages/fuse';
import { trainingGroups } from '../../lib/pipeline/stages/groups';
import { HardBlockFile, HardBlockWriter, hardTable, writeHardBlocks } from '../../lib/pipeline/stages/hardBlocks';
import { buildHarderData } from '../../lib/pipeline/stages/harder';
import { mineNewCandidates } from '../../lib/pipeline/stages/mine';
import { scoreCandidates } from '../../lib/pipeline/stages/score';
import { scoreNewPairs } from '../../lib/pipeline/stages/scoreNew';
import { initialState } from '../../lib/pipeline/method';
import { createExperimentStudent, splitTexts } from '../../lib/pipeline/student';
import { InputError } from '../../lib/io/errors';
import { tinyExperimentConfig } from './tinyExperiment';

describe('pipeline/harder: batches and the hard-block file', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-harder-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const negativesFrom of ['student', 'teacher'] as const) {
    it(`negatives from the ${negativesFrom}: batches of 1 and 2 write the file of all at once; it reads back as the scored blocks`, async () => {
      const experiment = parseExperimentConfig({ ...tinyExperimentConfig(), student: { preset: 'hashed-lexical', overrides: { dim: 256 } }, iterations: { count: 2, gotWrong: { rule: 'top-k', k: 1 }, negativesFrom } });
      const config = systemConfig(experiment, experiment.systems[2]);
      const data = await buildCandidates(experiment);
      const heldOut = holdOut(data.train, experiment);
      const scored = await scoreCandidates(data, new StepStore(join(dir, `steps-${negativesFrom}`)), join(dir, 'cache'));
      const state = initialState(config, { train: data.train, heldOut, scored });
      const trainIds = [...data.train.candidates.byQuery.keys()].filter((q) => !heldOut.includes(q));
      const groups = trainingGroups(config, normaliseAndFuse(config, scored.table, state).table, data.train, trainIds, state, 1);
      const model = await createExperimentStudent(config, 1, splitTexts(data.train));
      const teacherRun = runFromTable(scored.table, config.teacher.name);
      const o = { seed: 1, iteration: 1, cacheDir: join(dir, 'cache') };
      const current = { name: 'student-it1', model };

      const mined = await mineNewCandidates(model, data.train, trainIds, groups.base, teacherRun, config, o);
      const whole = await scoreNewPairs(mined, state, scored.scorers, current, data.train, config);
      assert.ok(whole.blocks.length >= 2, `${whole.blocks.length} blocks: too few to batch`);
      const wholeFile = join(dir, `whole-${negativesFrom}.tsv`);
      const carried = writeHardBlocks(wholeFile, whole);
      for (const batch of [1, 2]) {
        const path = join(dir, `batch${batch}-${negativesFrom}.tsv`);
        const built = await buildHarderData(model, data.train, trainIds, groups.base, teacherRun, state, scored.scorers, current, config, { ...o, path, batch });
        assert.equal(readFileSync(path, 'utf8'), readFileSync(wholeFile, 'utf8'), `batch ${batch}`);
        assert.deepEqual(built.record, {
          mining: mined.report, queries: whole.blocks.length, pairs: whole.blocks.reduce((a, b) => a + b.docIds.length, 0),
          newPairs: mined.newPairs, searched: mined.searched, scoredBy: whole.counts,
        });
        assert.deepEqual(built.hard, { ...carried, hardBlocksFile: path });
      }
      const table = hardTable(carried)!;
      assert.deepEqual(table.models.map((m) => m.name), whole.models);
      assert.deepEqual([...table.byQuery.keys()], whole.blocks.map((b) => b.queryId));
      for (const b of whole.blocks) {
        const got = table.byQuery.get(b.queryId)!;
        assert.deepEqual(got.docIds, b.docIds);
        assert.deepEqual(got.scores.map((s) => Array.from(s)), whole.models.map((m) => b.scores[m]));
      }
      model.dispose();
    });
  }

  it('keeps NaN scores, refuses a tab in a query id, a cut-short file and a line that is not a block', () => {
    const path = join(dir, 'nan.tsv');
    const w = HardBlockWriter.create(path, ['T', 'A']);
    w.append([{ queryId: 'q1', docIds: ['d1', 'd2'], scores: { T: [1, 2], A: [NaN, 0.5] } }]);
    assert.throws(() => w.append([{ queryId: 'q\t2', docIds: ['d'], scores: { T: [1], A: [1] } }]), /holds a tab/);
    assert.equal(w.close(), 1);
    const f = new HardBlockFile(path, 2);
    assert.deepEqual(f.get('q1')!.scores, [Float64Array.of(1, 2), Float64Array.of(NaN, 0.5)]);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, -1));
    assert.throws(() => new HardBlockFile(path, 2), (e: Error) => e instanceof InputError && e.message.startsWith(`${path}:1: the last line is cut short`));
    writeFileSync(path, 'q1 {"docIds":[]}\n');
    assert.throws(() => new HardBlockFile(path, 2), (e: Error) => e instanceof InputError && e.message.startsWith(`${path}:1: not a hard block line`));
    assert.throws(() => new HardBlockFile(join(dir, 'gone.tsv'), 2), /hard blocks of the previous iteration are missing/);
  });
});
