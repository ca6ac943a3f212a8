/** figure → PNG through headless Chromium, and the clear error when Chromium is missing. */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { barChart, closeBrowser, figureToPng, histogram, lineChart, scatterChart, showFigure } from '../../lib/report';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('figureToPng', function () {
  before(function () {
    if (!existsSync('/usr/bin/chromium') && !process.env.MTA4DPR_CHROMIUM) this.skip();
  });
  after(() => closeBrowser());

  it('renders a valid PNG of the requested size and non-trivial content', async () => {
    const fig = lineChart([{ name: 'a', x: [1, 2, 3], y: [0.2, 0.5, 0.4] }, { name: 'b', x: [1, 2, 3], y: [0.3, 0.1, 0.6], error: [0.05, 0.05, 0.1] }], { title: 'two series' });
    const png = await figureToPng(fig, { width: 640, height: 360, scale: 2 });
    assert.ok(png.subarray(0, 8).equals(PNG_MAGIC), 'PNG signature');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 1280);
    assert.equal(png.readUInt32BE(20), 720);
    assert.ok(png.length > 10_000, `PNG only ${png.length} bytes`);
  });

  it('different figures give different images (the data is really drawn)', async () => {
    const a = await figureToPng(barChart([{ x: ['a', 'b'], y: [1, 2] }]), { width: 300, height: 200 });
    const b = await figureToPng(barChart([{ x: ['a', 'b'], y: [2, 1] }]), { width: 300, height: 200 });
    assert.ok(!a.equals(b));
    const h = await figureToPng(histogram([{ values: [1, 2, 2, 3, 3, 3] }]), { width: 300, height: 200 });
    assert.ok(h.subarray(0, 8).equals(PNG_MAGIC));
  });

  it('rejects bad sizes before launching anything', async () => {
    await assert.rejects(figureToPng(barChart([{ x: [1], y: [1] }]), { width: 0 }), /width must be a positive number/);
  });

  it('showFigure outside a tslab kernel says so', async () => {
    await assert.rejects(showFigure(scatterChart([{ x: [1], y: [1] }])), /only works inside a tslab notebook kernel/);
  });
});

describe('figureToPng without Chromium', () => {
  it('fails with a message naming apt-get install chromium', async () => {
    await closeBrowser();
    const saved = process.env.MTA4DPR_CHROMIUM;
    process.env.MTA4DPR_CHROMIUM = '/nonexistent/chromium';
    try {
      await assert.rejects(figureToPng(barChart([{ x: [1], y: [1] }])), /apt-get install chromium/);
    } finally {
      if (saved === undefined) delete process.env.MTA4DPR_CHROMIUM;
      else process.env.MTA4DPR_CHROMIUM = saved;
    }
  });
});
