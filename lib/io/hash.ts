/**
 * Content hashes for caches and the manifest: a changed input changes the key of everything
 * that depends on it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex SHA-256 of strings / byte arrays / JSON-able values, fed in order. */
export function sha256(...parts: Array<string | Uint8Array | object | number | boolean>): string {
  const h = createHash('sha256');
  for (const p of parts) {
    if (typeof p === 'string') h.update(p);
    else if (p instanceof Uint8Array) h.update(p);
    else h.update(stableStringify(p));
    h.update('\u0000');
  }
  return h.digest('hex');
}

/**
 * sha256(count, [...parts].join('\u0001')) fed part by part: the same digest without the joined
 * string, which for MS MARCO's 8.8M passages would pass V8's string limit (~2^29 characters).
 */
export function sha256Joined(count: number, parts: Iterable<string>): string {
  const h = createHash('sha256');
  h.update(stableStringify(count));
  h.update('\u0000');
  let first = true;
  for (const part of parts) {
    if (!first) h.update('\u0001');
    first = false;
    h.update(part);
  }
  h.update('\u0000');
  return h.digest('hex');
}

/** Hex SHA-256 of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** JSON with object keys sorted, so equal values always hash equally. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(ArrayBuffer.isView(v))) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}
