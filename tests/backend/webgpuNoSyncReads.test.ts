/**
 * Guards issue 15's rule: no synchronous tensor reads on the training and encoding paths, because
 * device backends (webgpu in Node) cannot read synchronously ("OffscreenCanvas is not defined").
 * Scans lib/train, lib/models, lib/retrieval and lib/pipeline; comments and strings are ignored.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const root = resolve(__dirname, '..', '..');
const FOLDERS = ['lib/train', 'lib/models', 'lib/retrieval', 'lib/pipeline'];
const SYNC_READS = new Set(['dataSync', 'arraySync', 'bufferSync']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** `file:line name` for every property access or element access naming a synchronous read. */
function syncReads(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const hits: string[] = [];
  const visit = (node: ts.Node): void => {
    let name: string | undefined;
    if (ts.isPropertyAccessExpression(node)) name = node.name.text;
    else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) name = node.argumentExpression.text;
    if (name && SYNC_READS.has(name)) hits.push(`${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${name}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return hits;
}

describe('no synchronous tensor reads on the training and encoding paths', () => {
  it('the scanner finds each form of a synchronous read and ignores comments and strings', () => {
    const code = [
      'const a = t.dataSync();', 'const b = t?.arraySync();', "const c = t['bufferSync']();",
      '// t.dataSync() in a comment', "const d = 'dataSync';", 'const e = await t.data();',
    ].join('\n');
    assert.deepEqual(syncReads('x.ts', code), ['x.ts:1 dataSync', 'x.ts:2 arraySync', 'x.ts:3 bufferSync']);
  });

  it(`${FOLDERS.join(', ')} read tensors only asynchronously (await t.data() / t.array())`, () => {
    const files = FOLDERS.flatMap((f) => tsFiles(join(root, f)));
    assert.ok(files.length > 20, `only ${files.length} files found under ${FOLDERS.join(', ')}`);
    const hits = files.flatMap((f) => syncReads(relative(root, f), readFileSync(f, 'utf8')));
    assert.deepEqual(hits, [], `synchronous reads fail on webgpu in Node; use await t.data():\n${hits.join('\n')}`);
  });
});
