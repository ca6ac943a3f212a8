/** transformers.js hub models: without a local ONNX folder the error names the folder and files. */
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubCrossEncoder, loadHubEncoder } from '../../lib/models';

describe('models/hub (transformers.js)', () => {
  it('names the folder and expected files when the ONNX model is absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-'));
    await assert.rejects(loadHubEncoder(dir), (e: Error) => e.message.includes(dir) && e.message.includes('onnx/model.onnx') && e.message.includes('tokenizer.json'));
    await assert.rejects(loadHubCrossEncoder(join(dir, 'nope')), (e: Error) => e.message.includes(join(dir, 'nope')) && /remote models are disabled/.test(e.message));
  });
});
