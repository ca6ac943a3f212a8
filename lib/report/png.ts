/**
 * Renders a plotly figure to PNG in headless Chromium (plotly's own renderer, so notebook PNGs
 * match what JupyterLab shows from the plotly JSON).
 */
import type { Figure } from './figures';
import { withPlotlyPage } from './browser';

/** Size of the rendered image: CSS pixels times `scale`. */
export interface PngOptions {
  width?: number;
  height?: number;
  scale?: number;
}

/** Renders `fig` to a PNG Buffer (default 800×500 at scale 1). */
export async function figureToPng(fig: Pick<Figure, 'data'> & Partial<Pick<Figure, 'layout'>>, options: PngOptions = {}): Promise<Buffer> {
  const width = options.width ?? 800;
  const height = options.height ?? 500;
  const scale = options.scale ?? 1;
  for (const [k, v] of Object.entries({ width, height, scale })) {
    if (!Number.isFinite(v) || v <= 0) throw new Error(`figureToPng: ${k} must be a positive number, got ${v}`);
  }
  // JSON round trip: drops undefined and functions, and fails here (not in the browser) on cycles.
  const plain = JSON.parse(JSON.stringify({ data: fig.data, layout: fig.layout ?? {} })) as Figure;
  const dataUrl = await withPlotlyPage((page) => page.evaluate(
    async ({ f, w, h, s }) => {
      const P = (globalThis as unknown as { Plotly: { toImage(fig: unknown, o: unknown): Promise<string> } }).Plotly;
      return P.toImage({ data: f.data, layout: { ...f.layout, width: w, height: h } }, { format: 'png', width: w, height: h, scale: s });
    },
    { f: plain, w: width, h: height, s: scale },
  ));
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) throw new Error(`plotly returned no PNG (got '${dataUrl.slice(0, 40)}…')`);
  return Buffer.from(dataUrl.slice(prefix.length), 'base64');
}
