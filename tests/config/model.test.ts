/** The model-reference schema (lib/config/model.ts): old configs keep their meaning, every kind validates, errors name the key. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DenseModelRefSchema, MODEL_KINDS, ModelRefSchema, resolveModelPaths, runSystemOf } from '../../lib/config/model';

function issues(v: unknown): string[] {
  const r = ModelRefSchema.safeParse(v);
  assert.equal(r.success, false, `accepted ${JSON.stringify(v)}`);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('ModelRefSchema (lib/config/model)', () => {
  it('reads an entry without kind as a run file, as before', () => {
    assert.deepEqual(ModelRefSchema.parse({ name: 'TAS-B' }), { name: 'TAS-B', kind: 'run' });
    assert.deepEqual(ModelRefSchema.parse({ name: 'T', run: 'SPLADE' }), { name: 'T', kind: 'run', run: 'SPLADE' });
    assert.deepEqual(ModelRefSchema.parse({ name: 'R', kind: 'rank' }), { name: 'R', kind: 'rank' });
  });

  it('fills BM25 defaults (Anserini k1 0.9, b 0.4, title + text) and checks parameters', () => {
    assert.deepEqual(ModelRefSchema.parse({ name: 'BM25', kind: 'bm25' }), { name: 'BM25', kind: 'bm25', k1: 0.9, b: 0.4, fields: ['title', 'text'] });
    assert.deepEqual(ModelRefSchema.parse({ name: 'B', kind: 'bm25', k1: 1.2, b: 0.75, fields: ['text'] }).kind, 'bm25');
    assert.match(issues({ name: 'B', kind: 'bm25', b: 2 }).join(), /^b: /);
    assert.match(issues({ name: 'B', kind: 'bm25', fields: ['abstract'] }).join(), /^fields\.0: /);
    assert.match(issues({ name: 'B', kind: 'bm25', fields: ['text', 'text'] }).join(), /listed twice/);
  });

  it('validates dense and cross-encoder folders', () => {
    assert.deepEqual(ModelRefSchema.parse({ name: 'D', kind: 'dense', path: 'm' }), { name: 'D', kind: 'dense', path: 'm', format: 'auto', batchSize: 32, engine: 'auto' });
    const ce = ModelRefSchema.parse({ name: 'C', kind: 'cross-encoder', path: 'ce', format: 'onnx', maxLength: 128, positiveLabel: 1 });
    assert.equal(ce.kind, 'cross-encoder');
    assert.match(issues({ name: 'D', kind: 'dense' }).join(), /^path: /);
    assert.match(issues({ name: 'D', kind: 'dense', path: 'm', pooling: 'max' }).join(), /^pooling: /);
    assert.match(issues({ name: 'C', kind: 'cross-encoder', path: 'm', k1: 1 }).join(), /Unrecognized key.*k1/);
    assert.match(issues({ name: 'X', kind: 'splade' }).join(), /^kind: /);
    assert.deepEqual([...MODEL_KINDS], ['run', 'rank', 'bm25', 'dense', 'cross-encoder']);
  });

  it('resolves folder paths against the config folder and leaves others alone', () => {
    const d = DenseModelRefSchema.parse({ name: 'D', kind: 'dense', path: 'models/d' });
    assert.equal(resolveModelPaths(d, '/cfg').path, resolve('/cfg/models/d'));
    const abs = ModelRefSchema.parse({ name: 'D', kind: 'dense', path: '/abs/d' });
    assert.equal(resolveModelPaths(abs, '/cfg'), abs);
    const run = ModelRefSchema.parse({ name: 'R' });
    assert.equal(resolveModelPaths(run, '/cfg'), run);
    assert.equal(runSystemOf(ModelRefSchema.parse({ name: 'T', run: 'SPLADE' })), 'SPLADE');
    assert.equal(runSystemOf(ModelRefSchema.parse({ name: 'B', kind: 'bm25' })), undefined);
  });

  it('accepts every teacher and assistant of the bundled configs', () => {
    const dir = join(__dirname, '..', '..', 'configs');
    let seen = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.matrix.json'))) {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { teacher?: unknown; assistants?: unknown[] };
      for (const m of [c.teacher, ...(c.assistants ?? [])].filter((x) => x !== undefined)) {
        const r = ModelRefSchema.safeParse(m);
        assert.ok(r.success, `${f}: ${JSON.stringify(m)}: ${r.error?.message}`);
        seen += 1;
      }
    }
    assert.ok(seen > 5, `only ${seen} model references found in configs/`);
  });
});

describe('resolveModelPathsIn (lib/config/model)', () => {
  it('makes every dense / cross-encoder path absolute, in rows too, and leaves other keys alone', async () => {
    const { resolveModelPathsIn } = await import('../../lib/config/model');
    const raw = {
      teacher: { name: 'CE', kind: 'cross-encoder', path: 'models/ce' },
      assistants: [{ name: 'D', kind: 'dense', path: '/abs/d' }, { name: 'R', run: 'x' }],
      student: { hfModel: 'rel/student' },
      systems: [{ name: 'row', overrides: { assistants: [{ name: 'D2', kind: 'dense', path: 'd2' }] } }],
    };
    const out = resolveModelPathsIn(raw, '/cfg') as typeof raw;
    assert.equal(out.teacher.path, resolve('/cfg/models/ce'));
    assert.equal(out.assistants[0].path, '/abs/d');
    assert.deepEqual(out.assistants[1], { name: 'R', run: 'x' });
    assert.equal(out.student.hfModel, 'rel/student');
    assert.equal(out.systems[0].overrides.assistants[0].path, resolve('/cfg/d2'));
    assert.equal(raw.teacher.path, 'models/ce', 'the input is not modified');
  });
});
