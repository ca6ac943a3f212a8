/**
 * Streams the records of a JSON file that is either one top-level array of objects (DPR's
 * `biencoder-*.json`, several GB) or JSON lines, without holding the file in one string.
 * Each record comes with the line it starts on, for error messages.
 */
import { openInput, readLines } from '../io/lines';
import { InputError } from '../io/lines';
import { dataReadError } from './fileInput';

/** One record's raw JSON text and the 1-based line where it starts. */
export interface RawRecord {
  readonly line: number;
  readonly text: string;
}

/** The first character of a file that is not white space (undefined for an empty file). */
export async function firstNonSpaceChar(path: string): Promise<string | undefined> {
  const input = openInput(path);
  input.setEncoding('utf8');
  try {
    for await (const chunk of input) {
      const m = /\S/.exec(chunk as string);
      if (m) return m[0];
    }
    return undefined;
  } finally {
    input.destroy();
  }
}

/** Splits a top-level JSON array into its element texts by tracking strings and nesting. */
async function* arrayElements(path: string): AsyncGenerator<RawRecord> {
  const input = openInput(path);
  input.setEncoding('utf8');
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let opened = false;
  let closed = false;
  let parts: string[] = [];
  let start = -1;
  let startLine = 0;
  for await (const raw of input) {
    const chunk = raw as string;
    let from = start >= 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === '\n') line += 1;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') {
        inString = true;
        if (depth === 1) throw new InputError(path, line, 'array elements must be objects');
        continue;
      }
      if (c === '{' || c === '[') {
        if (!opened) {
          if (c !== '[') throw new InputError(path, line, 'expected a JSON array');
          opened = true;
          depth = 1;
          continue;
        }
        if (depth === 1) {
          if (c !== '{') throw new InputError(path, line, 'array elements must be objects');
          start = i;
          from = i;
          startLine = line;
        }
        depth += 1;
      } else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 1 && c === '}') {
          parts.push(chunk.slice(from, i + 1));
          yield { line: startLine, text: parts.join('') };
          parts = [];
          start = -1;
          from = -1;
        } else if (depth === 0) {
          closed = true;
        } else if (depth < 0) {
          throw new InputError(path, line, `unbalanced "${c}"`);
        }
      } else if (depth <= 1 && !/[\s,]/.test(c)) {
        throw new InputError(path, line, closed ? 'text after the end of the array' : `unexpected "${c}" between array elements`);
      }
    }
    if (start >= 0 && from >= 0) parts.push(chunk.slice(from));
  }
  if (!closed) throw new InputError(path, line, 'unterminated JSON array (truncated file?)');
}

/** Yields the records of a JSON array file or a JSONL file (blank JSONL lines are skipped). */
export async function* jsonRecords(path: string): AsyncGenerator<RawRecord> {
  let first: string | undefined;
  try {
    first = await firstNonSpaceChar(path);
  } catch (e) {
    throw dataReadError(path, e);
  }
  if (first === '[') {
    try {
      yield* arrayElements(path);
    } catch (e) {
      // A truncated .gz or a folder named as the file: the error names it.
      throw dataReadError(path, e);
    }
    return;
  }
  for await (const { line, text } of readLines(path)) {
    if (text.trim() !== '') yield { line, text };
  }
}
