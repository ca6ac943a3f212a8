/**
 * Notebook display helpers (they return nothing, so tslab prints no stray value after them). tslab is required lazily, so the library also loads outside a kernel;
 * there these helpers fail with a clear message instead of tslab's "Not ready".
 */
import type { Figure } from './figures';
import { figureToPng, type PngOptions } from './png';
import { htmlTable, type DataFrameLike, type Row, type TableOptions } from './tables';

interface TslabDisplay {
  png(b: Uint8Array): void;
  html(s: string): void;
  markdown(s: string): void;
  raw(mime: string, value: unknown): void;
}

/** The tslab display of the running kernel, or a clear error outside one. */
function tslabDisplay(what: string): TslabDisplay {
  let display: TslabDisplay;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    display = (require('tslab') as { display: TslabDisplay }).display;
  } catch (e) {
    throw new Error(`${what} needs the tslab package (a dependency of mta4dpr): ${(e as Error).message}`);
  }
  if (!inKernel()) throw new Error(outsideKernel(what));
  return {
    png: (b) => guard(what, () => display.png(b)),
    html: (s) => guard(what, () => display.html(s)),
    markdown: (s) => guard(what, () => display.markdown(s)),
    raw: (m, v) => guard(what, () => display.raw(m, v)),
  };
}

function outsideKernel(what: string): string {
  return `${what} only works inside a tslab notebook kernel; outside one use figureToPng / htmlTable / markdownTable`;
}

/** Whether a tslab kernel is serving this process (checked up front so no PNG is rendered in vain). */
function inKernel(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown }).lastWriteDisplayData != null;
  } catch {
    return true; // tslab's internals moved: let the display call itself decide (guard below).
  }
}

function guard(what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if ((e as Error).message === 'Not ready') throw new Error(outsideKernel(what));
    throw e;
  }
}

/** Default size of every notebook figure, so they read at one scale. */
const NOTEBOOK_FIGURE: PngOptions = { width: 860, height: 460 };

/**
 * Shows a figure in the notebook as a PNG (portable) and as plotly JSON (interactive in JupyterLab/VS
 * Code), then its caption (`fig.caption` or `options.caption`) in italics under it.
 */
export async function showFigure(fig: Figure, options: PngOptions & { caption?: string } = {}): Promise<void> {
  const display = tslabDisplay('showFigure');
  const { caption: extra, ...size } = options;
  const { caption, ...plotly } = fig;
  const png = await figureToPng(plotly, { ...NOTEBOOK_FIGURE, ...size });
  display.png(png);
  display.raw('application/vnd.plotly.v1+json', JSON.parse(JSON.stringify(plotly)) as unknown);
  const text = extra ?? caption;
  if (text) display.markdown(`*${text}*`);
}

/** Shows rows or a danfojs DataFrame as an HTML table (markdownTable gives the same table for reports). */
export function showTable(input: Row[] | DataFrameLike, options: TableOptions = {}): void {
  tslabDisplay('showTable').html(htmlTable(input, options));
}

/** Shows markdown text in the notebook. */
export function showMarkdown(md: string): void {
  tslabDisplay('showMarkdown').markdown(md);
}
