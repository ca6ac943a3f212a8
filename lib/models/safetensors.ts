/**
 * safetensors file format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping tensor names to {dtype, shape, data_offsets}, then the raw little-endian tensor bytes.
 * Used for HF model folders and for our own training checkpoints, so the API here is kept stable.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic';
import { LITTLE_ENDIAN_HOST } from '../io/endian';

/** Element types we read and write; F16/BF16 are widened to float32 on read. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I32' | 'I64' | 'U8' | 'F64';

/** One tensor as stored in memory: F32/F16/BF16/F64 → Float32Array, I32/I64 → Int32Array, U8 → Uint8Array. */
export interface SafeTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/** The content of one safetensors file. */
export interface SafetensorsFile {
  readonly tensors: Record<string, SafeTensor>;
  readonly metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8, U8: 1, F64: 8 };

/** IEEE half → float32 (handles subnormals, inf, NaN). */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

function productOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function decode(file: string, name: string, dtype: SafetensorsDtype, shape: number[], bytes: Uint8Array): SafeTensor {
  const n = productOf(shape);
  if (bytes.byteLength !== n * BYTES[dtype]) {
    throw new Error(`${file}: tensor '${name}' has ${bytes.byteLength} bytes, expected ${n * BYTES[dtype]} for ${dtype}[${shape.join(',')}]`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      // On little-endian hosts one memcpy (new Uint8Array(view) copies; Buffer.slice would not).
      if (LITTLE_ENDIAN_HOST) return { dtype, shape, data: new Float32Array(new Uint8Array(bytes).buffer) };
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return { dtype, shape, data: out };
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      return { dtype, shape, data: out };
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return { dtype, shape, data: out };
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        tmp.setUint32(0, view.getUint16(i * 2, true) << 16, false);
        out[i] = tmp.getFloat32(0, false);
      }
      return { dtype, shape, data: out };
    }
    case 'I32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
      return { dtype, shape, data: out };
    }
    case 'I64': {
      // Position ids and the like: values fit int32; anything larger is refused rather than wrapped.
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) throw new Error(`${file}: tensor '${name}' has an int64 value outside int32 range`);
        out[i] = Number(v);
      }
      return { dtype, shape, data: out };
    }
    case 'U8':
      return { dtype, shape, data: Uint8Array.from(bytes) };
  }
}

/** Parses safetensors bytes; `file` is only used in error messages. */
export function parseSafetensors(buf: Uint8Array, file = '<buffer>'): SafetensorsFile {
  if (buf.byteLength < 8) throw new Error(`${file}: not a safetensors file (shorter than 8 bytes)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  if (headerLen > buf.byteLength - 8) throw new Error(`${file}: header length ${headerLen} exceeds file size`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 8, headerLen).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLen;
  const tensors: Record<string, SafeTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (!e || typeof e.dtype !== 'string' || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) {
      throw new Error(`${file}: malformed header entry for tensor '${name}'`);
    }
    if (!(e.dtype in BYTES)) throw new Error(`${file}: tensor '${name}' has unsupported dtype ${e.dtype}`);
    const [begin, end] = e.data_offsets;
    if (!(begin >= 0 && end >= begin && dataStart + end <= buf.byteLength)) {
      throw new Error(`${file}: tensor '${name}' data offsets [${begin}, ${end}] out of range`);
    }
    tensors[name] = decode(file, name, e.dtype as SafetensorsDtype, e.shape, buf.subarray(dataStart + begin, dataStart + end));
  }
  return { tensors, metadata };
}

/** Reads a .safetensors file into memory. */
export function readSafetensors(path: string): SafetensorsFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read safetensors file ${path}: ${(e as Error).message}`);
  }
  return parseSafetensors(buf, path);
}

/** A tensor to write: dtype defaults to F32 for Float32Array, I32 for Int32Array, U8 for Uint8Array. */
export interface SafeTensorInput {
  readonly dtype?: 'F32' | 'F16' | 'I32' | 'I64' | 'U8';
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array | ArrayLike<number>;
}

function floatToHalf(v: number): number {
  const f32 = new Float32Array([v]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >> shift;
    if ((mant >> (shift - 1)) & 1 && ((mant & ((1 << (shift - 1)) - 1)) || h & 1)) h++;
    return sign | h;
  }
  let h = sign | (e << 10) | (mant >> 13);
  if (mant & 0x1000 && (mant & 0xfff || h & 1)) h++;
  return h;
}

function encodeTensor(name: string, t: SafeTensorInput): { dtype: string; bytes: Uint8Array } {
  const dtype = t.dtype ?? (t.data instanceof Int32Array ? 'I32' : t.data instanceof Uint8Array ? 'U8' : 'F32');
  const n = productOf(t.shape);
  if (t.data.length !== n) throw new Error(`writeSafetensors: tensor '${name}' has ${t.data.length} values for shape [${t.shape.join(',')}]`);
  if (dtype === 'F32' && LITTLE_ENDIAN_HOST) {
    const f = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
    return { dtype, bytes: new Uint8Array(f.buffer, f.byteOffset, f.byteLength) };
  }
  const bytes = new Uint8Array(n * BYTES[dtype]);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = t.data[i];
    switch (dtype) {
      case 'F32': dv.setFloat32(i * 4, v, true); break;
      case 'F16': dv.setUint16(i * 2, floatToHalf(v), true); break;
      case 'I32': dv.setInt32(i * 4, v, true); break;
      case 'I64': dv.setBigInt64(i * 8, BigInt(Math.trunc(v)), true); break;
      case 'U8': bytes[i] = v; break;
    }
  }
  return { dtype, bytes };
}

/** Serialises tensors (sorted by name, as the Python writer does) to safetensors bytes. */
export function serializeSafetensors(tensors: Record<string, SafeTensorInput>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new Error(`writeSafetensors: metadata '${k}' must be a string`);
    header.__metadata__ = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const { dtype, bytes } = encodeTensor(name, tensors[name]);
    header[name] = { dtype, shape: [...tensors[name].shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  // Pad the header with spaces to an 8-byte boundary so the data is aligned (as the reference writer does).
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let p = 8 + headerBytes.byteLength;
  for (const c of chunks) {
    out.set(c, p);
    p += c.byteLength;
  }
  return out;
}

/** Writes a .safetensors file atomically (temp file + rename). */
export async function writeSafetensors(path: string, tensors: Record<string, SafeTensorInput>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
