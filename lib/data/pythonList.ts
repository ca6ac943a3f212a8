/**
 * Parses the Python list literals of DPR's `*.qa.csv` answer column (`['a', "b's", 'c\'d']`),
 * as written by Python's `repr`: single or double quotes, backslash escapes, no evaluation.
 */

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Parses a Python list of string literals; throws an Error saying where it went wrong. */
export function parsePythonStringList(src: string): string[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at column ${i + 1} of answers list`);
  };
  const ws = (): void => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  ws();
  if (src[i] !== '[') fail('expected "["');
  i++;
  const out: string[] = [];
  ws();
  if (src[i] === ']') {
    i++;
  } else {
    for (;;) {
      ws();
      // Python writes u'...' only in Python 2 dumps; accept the prefix.
      if (src[i] === 'u' && (src[i + 1] === "'" || src[i + 1] === '"')) i++;
      const quote = src[i];
      if (quote !== "'" && quote !== '"') fail('expected a quoted string');
      i++;
      let s = '';
      for (;;) {
        if (i >= src.length) fail('unterminated string');
        const c = src[i];
        if (c === quote) {
          i++;
          break;
        }
        if (c === '\\') {
          const e = src[i + 1];
          if (e === 'x' || e === 'u' || e === 'U') {
            const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
            const hex = src.slice(i + 2, i + 2 + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`bad \\${e} escape`);
            s += String.fromCodePoint(parseInt(hex, 16));
            i += 2 + len;
            continue;
          }
          if (e !== undefined && e in SIMPLE_ESCAPES) {
            s += SIMPLE_ESCAPES[e];
            i += 2;
            continue;
          }
          // Python keeps unknown escapes literally (backslash included).
          s += c;
          i++;
          continue;
        }
        s += c;
        i++;
      }
      out.push(s);
      ws();
      if (src[i] === ',') {
        i++;
        ws();
        if (src[i] === ']') {
          i++;
          break;
        }
        continue;
      }
      if (src[i] === ']') {
        i++;
        break;
      }
      fail('expected "," or "]"');
    }
  }
  ws();
  if (i !== src.length) fail('unexpected text after "]"');
  return out;
}
