/**
 * NumPy .npy files (format 1.0/2.0) for float32 matrices: the on-disk form of embeddings, readable
 * by `numpy.load`.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic';
import type { EmbeddingMatrix } from '../models/types';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Serialises a float32 matrix as .npy (little-endian '<f4', C order). */
export function encodeNpy(m: EmbeddingMatrix): Uint8Array {
  if (m.data.length !== m.rows * m.dim) throw new Error(`encodeNpy: ${m.data.length} values for ${m.rows}×${m.dim}`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.dim}), }`;
  // Header + magic(6) + version(2) + length(2) + '\n' padded to a multiple of 64.
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), 10 + header.length);
  return out;
}

/** Parses a .npy float32 (or float64, converted) 2-D array; `file` names errors. */
export function decodeNpy(buf: Uint8Array, file = '<buffer>'): EmbeddingMatrix {
  if (buf.byteLength < 10 || !MAGIC.equals(Buffer.from(buf.subarray(0, 6)))) throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = Buffer.from(buf.subarray(start, start + hlen)).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!descr || !fortran || !shape) throw new Error(`${file}: malformed .npy header ${header.trim()}`);
  if (fortran === 'True') throw new Error(`${file}: Fortran-order arrays are not supported`);
  if (shape.length !== 2) throw new Error(`${file}: expected a 2-D array, got shape (${shape.join(', ')})`);
  const [rows, dim] = shape;
  const body = buf.subarray(start + hlen);
  const n = rows * dim;
  let data: Float32Array;
  if (descr === '<f4') {
    if (body.byteLength !== n * 4) throw new Error(`${file}: ${body.byteLength} data bytes, expected ${n * 4}`);
    data = new Float32Array(new Uint8Array(body).buffer);
  } else if (descr === '<f8') {
    if (body.byteLength !== n * 8) throw new Error(`${file}: ${body.byteLength} data bytes, expected ${n * 8}`);
    data = Float32Array.from(new Float64Array(new Uint8Array(body).buffer));
  } else {
    throw new Error(`${file}: dtype ${descr} is not supported (float32 or float64 expected)`);
  }
  return { rows, dim, data };
}

/** Reads a .npy matrix. */
export function readNpy(path: string): EmbeddingMatrix {
  return decodeNpy(readFileSync(path), path);
}

/** Writes a .npy matrix atomically. */
export async function writeNpy(path: string, m: EmbeddingMatrix): Promise<void> {
  await writeFileAtomic(path, encodeNpy(m));
}
