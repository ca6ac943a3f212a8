/** safetensors reader/writer: round trip of every dtype, header layout, and malformed input. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, readSafetensors, serializeSafetensors, writeSafetensors } from '../../lib/models';

describe('models/safetensors', () => {
  it('round-trips F32, F16, I32, I64 and U8 with metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const f32 = new Float32Array([1.5, -2, 3e-8, Math.PI]);
    await writeSafetensors(join(dir, 'a.safetensors'), {
      w: { shape: [2, 2], data: f32 },
      h: { dtype: 'F16', shape: [3], data: [1, -2.5, 65504] },
      i: { shape: [2], data: new Int32Array([7, -9]) },
      l: { dtype: 'I64', shape: [2], data: [0, 2 ** 31 - 1] },
      u: { shape: [3], data: new Uint8Array([0, 1, 255]) },
    }, { format: 'pt' });
    const r = readSafetensors(join(dir, 'a.safetensors'));
    assert.deepEqual(r.metadata, { format: 'pt' });
    assert.deepEqual(Array.from(r.tensors.w.data), Array.from(f32));
    assert.deepEqual(r.tensors.w.shape, [2, 2]);
    assert.deepEqual(Array.from(r.tensors.h.data), [1, -2.5, 65504]);
    assert.deepEqual(Array.from(r.tensors.i.data), [7, -9]);
    assert.deepEqual(Array.from(r.tensors.l.data), [0, 2 ** 31 - 1]);
    assert.deepEqual(Array.from(r.tensors.u.data), [0, 1, 255]);
  });

  it('writes the reference layout: u64 header length, 8-byte aligned data, sorted names', () => {
    const bytes = serializeSafetensors({ b: { shape: [1], data: new Float32Array([1]) }, a: { shape: [1], data: new Float32Array([2]) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + n) % 8, 0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString());
    assert.deepEqual(header.a.data_offsets, [0, 4]);
    assert.deepEqual(header.b.data_offsets, [4, 8]);
  });

  it('rejects truncated files with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const p = join(dir, 'bad.safetensors');
    const good = serializeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
    writeFileSync(p, good.subarray(0, good.length - 3));
    assert.throws(() => readSafetensors(p), (e: Error) => e.message.includes(p) && /out of range/.test(e.message));
    assert.throws(() => parseSafetensors(new Uint8Array(3)), /shorter than 8 bytes/);
  });
});
