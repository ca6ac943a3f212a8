/**
 * Every demo-scale experiment config under configs/ passes the full check a run makes before work
 * (schema, datasets, metrics, every row's overrides, student fields), and every reproduction
 * matrix that names one config lists only rows that config has. The full-scale configs have their
 * own test (fullScale.test.ts): their data is not shipped.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../lib/data/paths';
import { loadCheckedExperiment } from '../../lib/pipeline/validate';

const dir = join(projectRoot(), 'configs');
const FULL_SCALE = new Set(['msmarco-full.json', 'nq-full.json']);
const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
const experiments = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.matrix.json') && !FULL_SCALE.has(f));
const matrices = readdirSync(dir).filter((f) => f.endsWith('.matrix.json'));

describe('configs/: demo-scale experiment configs and their matrices', () => {
  it('finds the configs', () => {
    assert.ok(experiments.includes('dl-demo.json') && experiments.includes('dl-demo-glove.json'), experiments.join(', '));
  });
  for (const f of experiments) {
    it(`${f} passes the pre-run check`, () => {
      const config = loadCheckedExperiment(join(dir, f));
      assert.ok(config.systems.length > 0);
    });
  }
  for (const f of matrices) {
    const target = String(json(f).config ?? '');
    if (!/^configs\/[\w.-]+\.json$/.test(target) || !existsSync(join(projectRoot(), target))) continue;
    it(`${f} lists only rows of ${target}`, () => {
      const rows = new Set((json(target.slice('configs/'.length)).systems as Array<{ name: string }>).map((s) => s.name));
      const entries = json(f).entries as Array<{ system: string }>;
      assert.ok(entries.length > 0);
      for (const e of entries) assert.ok(rows.has(e.system), `${f}: '${e.system}' is not a row of ${target}`);
    });
  }
});
