/**
 * The webgpu route as a user runs it, through the CLI: `MTA4DPR_BACKEND=webgpu mta4dpr
 * doctor` names the adapter, and `MTA4DPR_BACKEND=webgpu mta4dpr train` trains the tiny experiment's
 * row with per-step losses matching a wasm run of the same config and seed. Skipped, saying so,
 * without an adapter (.ci/run fails on that skip where it installed a Vulkan driver).
 *
 * Tolerance: 1e-4 relative per step over 8 AdamW steps, as the library-level parity test (float32
 * kernels sum in another order on each backend; measured on lavapipe here: 3.9e-6).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { webgpuAdapter } from '../../lib/backend';
import { runCli } from '../faults/helpers';
import { iterationTrainDir, TINY_ROW, writeTinyTrainConfig } from '../faults/trainConfig';

const LOSS_RTOL = 1e-4;

/** `mta4dpr ARGS` with `backend` forced (the tfjs encoder, so encoding runs on that backend too). */
function cli(backend: string, ...args: string[]): ReturnType<typeof runCli> {
  return runCli(args, { MTA4DPR_BACKEND: backend, MTA4DPR_ENCODER: 'tfjs' });
}

/** The per-step losses a train run wrote (its iteration's metrics.jsonl). */
function losses(out: string): number[] {
  const lines = readFileSync(join(iterationTrainDir(out)!, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss?: number });
  return lines.filter((l) => l.loss !== undefined).map((l) => l.loss!);
}

describe('cli on webgpu: doctor names the adapter, train matches wasm', function () {
  this.timeout(600_000);
  const { dir, configPath } = writeTinyTrainConfig();
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(async function () {
    const found = await webgpuAdapter();
    if (!found.ok) {
      console.log(`      SKIPPED (webgpu parity): no WebGPU adapter on this machine: ${found.reason}`);
      this.skip();
    }
  });

  it('MTA4DPR_BACKEND=webgpu mta4dpr doctor reports the adapter', async () => {
    const found = await webgpuAdapter();
    assert.ok(found.ok);
    const r = await cli('webgpu', 'doctor');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /selected backend.*webgpu/);
    assert.ok(r.stdout.includes(found.report.device), `doctor does not name the adapter ${found.report.device}:\n${r.stdout}`);
  });

  it(`MTA4DPR_BACKEND=webgpu mta4dpr train: every step's loss within ${LOSS_RTOL} relative of wasm's`, async () => {
    const wasm = await cli('wasm', 'train', '--config', configPath, '--row', TINY_ROW, '--out', join(dir, 'wasm'));
    assert.equal(wasm.code, 0, wasm.stderr);
    const gpu = await cli('webgpu', 'train', '--config', configPath, '--row', TINY_ROW, '--out', join(dir, 'webgpu'));
    assert.equal(gpu.code, 0, gpu.stderr);
    const [a, b] = [losses(join(dir, 'wasm')), losses(join(dir, 'webgpu'))];
    assert.equal(a.length, 8);
    assert.equal(b.length, a.length);
    const worst = Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / Math.max(Math.abs(x), 1e-12)));
    console.log(`      8 steps: worst relative loss difference webgpu vs wasm ${worst.toExponential(2)}`);
    assert.ok(worst <= LOSS_RTOL, `losses differ by ${worst} relative:\nwasm   ${a.join(' ')}\nwebgpu ${b.join(' ')}`);
    assert.match(gpu.stdout + gpu.stderr, /mta4dpr train: backend webgpu on /, 'the run says it trained on webgpu');
    assert.match(wasm.stdout + wasm.stderr, /mta4dpr train: backend wasm/);
  });
});
