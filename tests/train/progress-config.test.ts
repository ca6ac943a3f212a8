import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lossCurveSvg } from '../../lib/train/loss-svg';
import { createProgress } from '../../lib/train/progress';
import { MetricsLog } from '../../lib/train/metrics-log';

describe('train/progress, metrics log', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'mta4dpr-train-cfg-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('draws the loss curve as an SVG polyline scaled to the box', () => {
    const svg = lossCurveSvg([[1, 2], [2, 1], [3, NaN], [4, 0.5]], 100, 50);
    assert.match(svg, /^<svg[^>]*width="100" height="50"/);
    const pts = /points="([^"]+)"/.exec(svg)![1].split(' ');
    assert.equal(pts.length, 3); // NaN skipped
    assert.deepEqual(pts[0].split(',').map(Number), [24, 24]); // first step, highest loss: top-left of the plot area
  });

  it("'auto' progress outside a tslab kernel falls back to the bar and does not throw", () => {
    const p = createProgress('auto', 3, 0);
    p.update({ step: 1, loss: 1, lr: 1e-3, examplesPerSec: 2, tensors: 10 });
    p.stop();
    const none = createProgress('none', 3, 0);
    none.update({ step: 1, loss: 1, lr: 1e-3, examplesPerSec: 2, tensors: 10 });
  });

  it('metrics log drops lines after the resumed step and a torn last line', () => {
    const log = new MetricsLog(join(tmp, 'm', 'metrics.jsonl'));
    log.reset();
    for (const step of [1, 2, 3, 4]) log.append({ step });
    writeFileSync(log.path, readFileSync(log.path, 'utf8') + '{"step": 5, "lo');
    assert.equal(log.truncateAfter(2), 3);
    assert.equal(readFileSync(log.path, 'utf8'), '{"step":1}\n{"step":2}\n');
  });
});
