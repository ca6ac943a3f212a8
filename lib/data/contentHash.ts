/**
 * A dataset's content hash: SHA-256 over the bytes of every file it read (run files included), each
 * under its role, plus the parsing options that change what those bytes mean. Step keys that include
 * it recompute exactly when a data file changes, and not when only a path or a name does.
 */
import { stat } from 'node:fs/promises';
import { dataReadError } from './fileInput';
import { sha256, sha256File } from '../io/hash';

/** SHA-256 of one file. Not cached by mtime: a one-byte edit within one clock tick keeps size and mtime. */
async function fileHash(path: string): Promise<string> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw dataReadError(path, e);
  }
  if (st.isDirectory()) throw dataReadError(path, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
  try {
    return await sha256File(path);
  } catch (e) {
    throw dataReadError(path, e);
  }
}

/** Hash of `files` (role → path; roles sorted, so listing order does not matter) and `options`. */
export async function hashDatasetInputs(files: Readonly<Record<string, string>>, options: object): Promise<string> {
  const roles = Object.keys(files).sort();
  const hashes = await Promise.all(roles.map((r) => fileHash(files[r])));
  return sha256({ options, files: roles.map((r, i) => [r, hashes[i]]) });
}

/** Hash of a dataset derived from another (a split): the parent's hash and what derived it. */
export function derivedHash(parent: string, derivation: object): string {
  return sha256(parent, derivation);
}
