/**
 * The live notebook display, in a real tslab kernel run headless by nbconvert: one display entry,
 * updated in place, ends showing the last step. Skipped where Jupyter or the kernel is not installed.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const KERNELS = join(ROOT, '.jupyter', 'share', 'jupyter');

describe('train/progress in a tslab notebook', function () {
  this.timeout(120000);

  it('updates one display entry in place with the loss curve, throughput and tensor count', function () {
    if (spawnSync('jupyter', ['--version']).status !== 0 || !existsSync(join(KERNELS, 'kernels', 'tslab'))) this.skip();
    // A fresh clone has no .cache yet.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.cache', 'nbprogress-'));
    try {
      // tslab loads CommonJS: compile just the progress module (and what it imports) next to node_modules.
      execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--outDir', join(dir, 'js'), '--rootDir', join(ROOT, 'lib'), '--module', 'commonjs',
        '--target', 'ES2022', '--esModuleInterop', '--skipLibCheck', '--types', 'node', join(ROOT, 'lib', 'train', 'progress.ts')]);
      const src = [
        `const { createProgress } = require(${JSON.stringify(join(dir, 'js', 'train', 'progress.js'))});`,
        "const p = createProgress('auto', 3, 0);",
        "for (const step of [1, 2, 3]) p.update({ step, loss: 4 - step, lr: 1e-3, examplesPerSec: 2, tensors: 42, assistant: 'fused' });",
        'p.stop();',
      ].join('\n');
      const nb = { cells: [{ cell_type: 'code', id: 'c1', execution_count: null, metadata: {}, outputs: [], source: src }],
        metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } }, nbformat: 4, nbformat_minor: 5 };
      writeFileSync(join(dir, 'in.ipynb'), JSON.stringify(nb));
      execFileSync('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=tslab', '--output', 'out.ipynb', join(dir, 'in.ipynb')],
        { env: { ...process.env, JUPYTER_PATH: KERNELS }, stdio: 'pipe' });
      const outputs = JSON.parse(readFileSync(join(dir, 'out.ipynb'), 'utf8')).cells[0].outputs as Array<{ output_type: string; data?: Record<string, string | string[]> }>;
      const displays = outputs.filter((o) => o.output_type === 'display_data');
      assert.equal(displays.length, 1, JSON.stringify(outputs).slice(0, 500));
      const html = ([] as string[]).concat(displays[0].data!['text/html']).join('');
      assert.match(html, /step 3\/3 · loss 1\.0000 .*2\.00 groups\/s · 42 live tensors · assistant fused/);
      assert.match(html, /<svg[^>]*>.*<polyline/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
