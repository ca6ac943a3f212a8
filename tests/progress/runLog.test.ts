/** The run log: every message in the file, repeated notes shown once with their count, tasks and ETA. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunLog, formatDuration, noteKey } from '../../lib/progress';
import { workerLine } from '../../lib/pipeline/parallel';

function sink(tty = false): NodeJS.WritableStream & { isTTY: boolean; text: string } {
  const s = { isTTY: tty, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WritableStream & { isTTY: boolean; text: string };
}

describe('progress/runLog', () => {
  it('writes every message to the file; lines mode shows a repeated note once, then its count', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runlog-')), 'sub', 'run.log');
    const out = sink();
    const log = createRunLog({ file, mode: 'lines', stream: out });
    for (const seed of [1, 2, 3]) log(`[KD / seed ${seed}]   note: dl20: 12 qrels passages not in collection`);
    log('train split dl20: 54 queries');
    const summary = log.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(out.text.split('note: dl20').length - 1, 2, 'once as it happens, once in the summary');
    assert.ok(summary.includes('note: dl20: 12 qrels passages not in collection (×3)'));
    assert.ok(summary.at(-1)!.endsWith('run.log'));
  });

  it("'none' shows nothing and still logs to the file", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runlog-')), 'run.log');
    const out = sink();
    const log = createRunLog({ file, mode: 'none', stream: out });
    log('hello');
    log.tasks(2);
    log.started('a');
    log.finished('a');
    log.close();
    assert.equal(out.text, '');
    assert.match(readFileSync(file, 'utf8'), /hello[\s\S]*started a[\s\S]*finished a/);
  });

  it('a terminal gets one bar with tasks done / total and the ETA from the rate so far', () => {
    let t = 0;
    const out = sink(true);
    const log = createRunLog({ mode: 'bar', stream: out, now: () => t });
    log.tasks(4);
    log.started('MTA4DPR / seed 1');
    t = 60_000;
    log.finished('MTA4DPR / seed 1');
    log('a line that only goes to the file');
    log.close();
    assert.match(out.text, /1\/4/);
    assert.match(out.text, /ETA 3m 00s/);
    assert.doesNotMatch(out.text, /only goes to the file/);
  });

  it('noteKey strips the task prefix; formatDuration reads as minutes and seconds', () => {
    assert.equal(noteKey('[KD / seed 2] note: x y'), 'note: x y');
    assert.equal(noteKey('warning: z'), 'warning: z');
    assert.equal(noteKey('held-out slice: 11'), undefined);
    // Dawn's device-limit notice from a worker's adapter probe is logged, but is no warning of the run.
    const dawn = workerLine('Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.');
    assert.match(dawn, /^\(Dawn device limits\) maxDynamicStorageBuffers/);
    assert.equal(noteKey(`[KD / seed 2] ${dawn}`), undefined);
    assert.equal(noteKey(`[KD / seed 2] ${workerLine('Warning: something else')}`), 'warning: something else');
    assert.equal(formatDuration(187), '3m 07s');
    assert.equal(formatDuration(9.4), '9s');
  });
});
