/**
 * The reader-facing check of an executed notebook: no wall of log lines, no blank figure, no
 * figure without a title. `npm run notebooks` runs it on every executed notebook and fails on a problem.
 */
import { decodePng, inkFraction } from './pngPixels';

/** Limits of {@link checkExecutedNotebook}. */
export interface NotebookCheckOptions {
  /** Most stderr lines the whole notebook may show (default 30). */
  readonly maxStderrLines?: number;
  /** A PNG with less than this share of non-background pixels counts as blank (default 0.002). */
  readonly minInk?: number;
}

/** What the check found in one notebook. */
export interface NotebookCheck {
  readonly stderrLines: number;
  readonly figures: number;
  readonly problems: readonly string[];
}

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

interface Cell {
  cell_type: string;
  outputs?: Output[];
}

function joined(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

function titleOf(fig: unknown): string {
  const layout = (fig as { layout?: { title?: unknown } } | undefined)?.layout;
  const t = layout?.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return '';
}

/** Checks an executed notebook document (nbformat 4 JSON) for log walls, blank PNGs and untitled figures. */
export function checkExecutedNotebook(doc: { cells: Cell[] }, options: NotebookCheckOptions = {}): NotebookCheck {
  const maxStderr = options.maxStderrLines ?? 30;
  const minInk = options.minInk ?? 0.002;
  const problems: string[] = [];
  let stderrLines = 0;
  let figures = 0;
  doc.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'stream' && out.name === 'stderr') {
        stderrLines += joined(out.text).split('\n').filter((l) => l.trim() !== '').length;
      }
      const png = out.data?.['image/png'];
      if (typeof png === 'string') {
        figures++;
        try {
          const ink = inkFraction(decodePng(Buffer.from(png.replace(/\s+/g, ''), 'base64')));
          if (ink < minInk) problems.push(`cell ${i + 1}: blank PNG (${(ink * 100).toFixed(3)}% of pixels drawn)`);
        } catch (e) {
          problems.push(`cell ${i + 1}: unreadable PNG (${(e as Error).message})`);
        }
      }
      const plotly = out.data?.['application/vnd.plotly.v1+json'];
      if (plotly !== undefined && titleOf(plotly).trim() === '') problems.push(`cell ${i + 1}: figure without a title`);
    }
  });
  if (stderrLines > maxStderr) problems.push(`${stderrLines} lines of stderr (at most ${maxStderr}): send logs to the run's log file`);
  return { stderrLines, figures, problems };
}
