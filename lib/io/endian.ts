/** Byte order: the host's, and little-endian bytes of typed arrays (file formats store LE). */
import { endianness } from 'node:os';

/** Whether this host stores numbers little-endian (every Node target in practice). */
export const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Little-endian bytes of a float32, float64 or int64 array (a copy; a single memcpy on LE hosts). */
export function littleEndianBytes(a: Float32Array | Float64Array | BigInt64Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  const out = new Uint8Array(a.byteLength);
  const dv = new DataView(out.buffer);
  if (a instanceof Float32Array) a.forEach((x, i) => dv.setFloat32(i * 4, x, true));
  else if (a instanceof Float64Array) a.forEach((x, i) => dv.setFloat64(i * 8, x, true));
  else a.forEach((x, i) => dv.setBigInt64(i * 8, x, true));
  return out;
}

/** The float64 values of little-endian `bytes` (a copy, aligned whatever the bytes' offset). */
export function float64FromLittleEndian(bytes: Uint8Array): Float64Array {
  const out = new Float64Array(bytes.byteLength / 8);
  if (LITTLE_ENDIAN_HOST) new Uint8Array(out.buffer).set(bytes);
  else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(i * 8, true);
  }
  return out;
}
