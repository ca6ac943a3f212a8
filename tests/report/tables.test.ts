/** Tables, markdown, figure builders and HTML reports. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barChart, htmlTable, markdownTable, markdownToHtml, scatterChart, toDataFrame, writeHtmlReport } from '../../lib/report';

describe('tables', () => {
  const rows = [{ system: 'BM25', 'nDCG@10': 0.50576, queries: 43 }, { system: 'a|b <x>', 'nDCG@10': 0.7, extra: 'only here' }];

  it('markdownTable: union of columns, 4 decimals, escaped pipes, numeric columns right-aligned', () => {
    const md = markdownTable(rows);
    const lines = md.split('\n');
    assert.equal(lines[0], '| system | nDCG@10 | queries | extra |');
    assert.equal(lines[1], '| --- | ---: | ---: | --- |');
    assert.equal(lines[2], '| BM25 | 0.5058 | 43 |  |');
    assert.equal(lines[3], '| a\\|b <x> | 0.7000 |  | only here |');
  });

  it('htmlTable escapes HTML', () => {
    const html = htmlTable(rows);
    assert.match(html, /<th>nDCG@10<\/th>/);
    assert.match(html, /a\|b &lt;x&gt;/);
    assert.doesNotMatch(html, /<x>/);
  });

  it('accepts a danfojs-node DataFrame', () => {
    const df = toDataFrame([{ a: 1, b: 'x' }, { a: 2.5, b: 'y' }]);
    assert.equal(markdownTable(df), '| a | b |\n| ---: | --- |\n| 1 | x |\n| 2.5000 | y |');
  });
});

describe('markdownToHtml', () => {
  it('renders headings, lists, code, emphasis and tables, escaping raw HTML', () => {
    const html = markdownToHtml('# Title\n\nSome **bold** and `code` <script>.\n\n- one\n- two\n\n| a | b |\n| --- | ---: |\n| 1 | 2 |');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code> &lt;script&gt;/);
    assert.match(html, /<ul><li>one<\/li><li>two<\/li><\/ul>/);
    assert.match(html, /<td>1<\/td><td>2<\/td>/);
  });
});

describe('figure builders', () => {
  it('build plotly figures and reject mismatched series', () => {
    const fig = barChart([{ name: 'a', x: ['q1', 'q2'], y: [1, 2], error: [0.1, 0.2] }], { title: 't', yTitle: 'nDCG@10' });
    assert.equal(fig.data[0].type, 'bar');
    assert.deepEqual((fig.data[0].error_y as { array: number[] }).array, [0.1, 0.2]);
    assert.throws(() => barChart([{ x: [1, 2], y: [1] }]), /x has 2 values, y has 1/);
    const sc = scatterChart([{ x: [0, 1], y: [0.5, 2] }], { diagonal: true });
    assert.deepEqual(sc.data[1].x, [0, 2]);
  });
});

describe('writeHtmlReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mta4dpr-report-'));
  // A real 1×1 PNG (red pixel), so the report embeds a genuine image.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

  it('writes one self-contained HTML file with markdown, table and inline PNGs', async () => {
    const pngFile = join(dir, 'a.png');
    writeFileSync(pngFile, png);
    const out = join(dir, 'sub', 'report.html');
    await writeHtmlReport(out, { title: 'Run <1>', sections: [{ heading: 'Results', markdown: 'text *here*', table: [{ a: 1 }], pngs: [png, pngFile] }] });
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<title>Run &lt;1&gt;<\/title>/);
    assert.match(html, /<em>here<\/em>/);
    assert.equal(html.match(/src="data:image\/png;base64,/g)?.length, 2);
  });

  it('refuses a non-PNG image, naming the section', async () => {
    await assert.rejects(writeHtmlReport(join(dir, 'bad.html'), { title: 't', sections: [{ heading: 'Figs', pngs: [Buffer.from('GIF89a')] }] }), /section 1 \('Figs'\) image 1/);
  });
});
