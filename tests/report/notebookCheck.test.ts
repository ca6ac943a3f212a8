/** The executed-notebook check: PNG decoding (round trip over every filter type), blank and untitled figures, log walls. */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { barChart, checkExecutedNotebook, closeBrowser, decodePng, figureToPng, inkFraction, wrapTitle } from '../../lib/report';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** An independent PNG encoder: filters each row with the given type (the spec's forward filters). */
function encodePng(width: number, height: number, channels: 3 | 4, pixels: Uint8Array, filters: number[]): Buffer {
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length];
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const x = pixels[y * stride + i];
      const a = i >= channels ? pixels[y * stride + i - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][f];
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 3 ? 2 : 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function notebook(outputs: object[]): { cells: Array<{ cell_type: string; outputs: never[] }> } {
  return { cells: [{ cell_type: 'code', outputs: outputs as never[] }] };
}

describe('decodePng', () => {
  it('undoes every scanline filter: decode(encode(pixels)) = pixels', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(3 as const, 4 as const),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }), fc.integer(),
      (w, h, ch, filters, seed) => {
        const px = Uint8Array.from({ length: w * h * ch }, (_v, i) => (Math.imul(seed ^ i, 2654435761) >>> 24) & 0xff);
        const img = decodePng(encodePng(w, h, ch, px, filters));
        assert.equal(img.width, w);
        assert.equal(img.height, h);
        assert.deepEqual([...img.pixels], [...px]);
      },
    ), { numRuns: 200 });
  });

  it('rejects what is not a PNG', () => {
    assert.throws(() => decodePng(Buffer.from('GIF89a....')), /not a PNG/);
  });
});

describe('checkExecutedNotebook', function () {
  before(function () {
    if (!existsSync('/usr/bin/chromium') && !process.env.MTA4DPR_CHROMIUM) this.skip();
  });
  after(() => closeBrowser());

  it('passes a drawn, titled figure and fails a blank one and an untitled one', async () => {
    const fig = barChart([{ x: ['a', 'b'], y: [1, 2] }], { title: 'two bars', yTitle: 'count' });
    const drawn = (await figureToPng(fig, { width: 300, height: 200 })).toString('base64');
    const blank = (await figureToPng({ data: [], layout: { xaxis: { visible: false }, yaxis: { visible: false } } }, { width: 300, height: 200 })).toString('base64');
    assert.ok(inkFraction(decodePng(Buffer.from(drawn, 'base64'))) > 0.01);
    const ok = checkExecutedNotebook(notebook([{ output_type: 'display_data', data: { 'image/png': drawn, 'application/vnd.plotly.v1+json': fig } }]));
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.figures, 1);
    const bad = checkExecutedNotebook(notebook([
      { output_type: 'display_data', data: { 'image/png': blank } },
      { output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': { data: [], layout: {} } } },
    ]));
    assert.equal(bad.problems.length, 2);
    assert.match(bad.problems[0], /blank PNG/);
    assert.match(bad.problems[1], /without a title/);
  });
});

describe('checkExecutedNotebook: stderr', () => {
  it('counts non-empty stderr lines over all cells and fails above the limit', () => {
    const lines = (n: number) => ({ output_type: 'stream', name: 'stderr', text: Array.from({ length: n }, (_v, i) => `line ${i}\n`) });
    assert.equal(checkExecutedNotebook(notebook([lines(30)])).problems.length, 0);
    const r = checkExecutedNotebook(notebook([lines(20), lines(11), { output_type: 'stream', name: 'stdout', text: 'x\n'.repeat(100) }]));
    assert.equal(r.stderrLines, 31);
    assert.match(r.problems[0], /31 lines of stderr/);
  });
});

describe('wrapTitle', () => {
  it('keeps every word, in order, with lines of at most the width (unless one word is longer)', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z@0-9]{1,12}$/), { minLength: 1, maxLength: 30 }), fc.integer({ min: 12, max: 80 }), (words, width) => {
      const lines = wrapTitle(words.join(' '), width).split('<br>');
      assert.deepEqual(lines.join(' ').split(' '), words);
      for (const l of lines) assert.ok(l.length <= width || !l.includes(' '));
    }));
  });
});
