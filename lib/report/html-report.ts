/**
 * Self-contained HTML reports (markdown text, tables, inline PNG figures), written atomically.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../io';
import { markdownToHtml } from './markdown';
import { escapeHtml, htmlTable, type DataFrameLike, type Row } from './tables';

/** One report section; every part is optional except the heading. */
export interface ReportSection {
  heading: string;
  markdown?: string;
  table?: Row[] | DataFrameLike;
  /** PNG images: Buffers (e.g. from figureToPng) or paths of PNG files. */
  pngs?: Array<Buffer | Uint8Array | string>;
}

/** A whole report. */
export interface HtmlReport {
  title: string;
  sections: ReportSection[];
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngDataUrl(png: Buffer | Uint8Array | string, where: string): string {
  const buf = typeof png === 'string' ? readFileSync(png) : Buffer.from(png);
  if (!buf.subarray(0, 8).equals(PNG_MAGIC)) throw new Error(`${where}: ${typeof png === 'string' ? png : 'buffer'} is not a PNG`);
  return `data:image/png;base64,${buf.toString('base64')}`;
}

/** Renders the report to one HTML string (images inlined, so the file stands alone). */
export function renderHtmlReport(report: HtmlReport): string {
  const sections = report.sections.map((s, k) => {
    const parts = [`<h2>${escapeHtml(s.heading)}</h2>`];
    if (s.markdown) parts.push(markdownToHtml(s.markdown));
    if (s.table) parts.push(htmlTable(s.table));
    (s.pngs ?? []).forEach((p, j) => parts.push(`<p><img alt="${escapeHtml(s.heading)} figure ${j + 1}" src="${pngDataUrl(p, `section ${k + 1} ('${s.heading}') image ${j + 1}`)}"></p>`));
    return `<section>\n${parts.join('\n')}\n</section>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(report.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}img{max-width:100%}code{background:#f6f6f6}</style>',
    '</head><body>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    ...sections,
    `<footer><p><small>generated ${new Date().toISOString()} by mta4dpr</small></p></footer>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Writes the report to `path` atomically (creating its folder). */
export async function writeHtmlReport(path: string, report: HtmlReport): Promise<void> {
  const html = renderHtmlReport(report);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, html);
}
