/**
 * Plotly figure objects (plain JSON) for the charts notebooks draw most: bars, lines, scatter, histograms.
 */

/** A plotly figure: traces plus layout, JSON-serialisable. */
export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/** One named series of a chart. */
export interface Series {
  name?: string;
  x: Array<number | string>;
  y: number[];
  /** Error bars (e.g. a standard deviation over seeds). */
  error?: number[];
}

/** Titles shared by every builder. */
export interface ChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

function layout(o: ChartOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: o.title ? { text: o.title } : undefined,
    xaxis: { title: { text: o.xTitle ?? '' }, automargin: true },
    yaxis: { title: { text: o.yTitle ?? '' }, automargin: true },
    template: undefined,
    margin: { t: o.title ? 50 : 20, r: 20, b: 50, l: 60 },
    ...extra,
  };
}

function errorY(s: Series): Record<string, unknown> | undefined {
  return s.error ? { type: 'data', array: s.error, visible: true } : undefined;
}

function checkSeries(s: Series): void {
  if (s.x.length !== s.y.length) throw new Error(`series '${s.name ?? ''}': x has ${s.x.length} values, y has ${s.y.length}`);
  if (s.error && s.error.length !== s.y.length) throw new Error(`series '${s.name ?? ''}': error has ${s.error.length} values, y has ${s.y.length}`);
}

/** Grouped bar chart, one trace per series. */
export function barChart(series: Series[], o: ChartOptions & { horizontal?: boolean } = {}): Figure {
  series.forEach(checkSeries);
  const data = series.map((s) => (o.horizontal
    ? { type: 'bar', orientation: 'h', name: s.name, x: s.y, y: s.x, error_x: errorY(s) }
    : { type: 'bar', name: s.name, x: s.x, y: s.y, error_y: errorY(s) }));
  return { data, layout: layout(o, { barmode: 'group', showlegend: series.length > 1 }) };
}

/** Line chart with markers, one trace per series. */
export function lineChart(series: Series[], o: ChartOptions = {}): Figure {
  series.forEach(checkSeries);
  const data = series.map((s) => ({ type: 'scatter', mode: 'lines+markers', name: s.name, x: s.x, y: s.y, error_y: errorY(s) }));
  return { data, layout: layout(o, { showlegend: series.length > 1 }) };
}

/** Scatter plot; `text` labels each point on hover (and in the plotly JSON). */
export function scatterChart(series: Array<Series & { text?: string[] }>, o: ChartOptions & { diagonal?: boolean } = {}): Figure {
  series.forEach(checkSeries);
  const data: Array<Record<string, unknown>> = series.map((s) => ({ type: 'scatter', mode: 'markers', name: s.name, x: s.x, y: s.y, text: s.text }));
  if (o.diagonal) {
    // y = x reference line over the joint numeric range, e.g. for per-query comparisons of two systems.
    const vals = series.flatMap((s) => [...s.x, ...s.y]).filter((v): v is number => typeof v === 'number');
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    data.push({ type: 'scatter', mode: 'lines', name: 'y = x', x: [lo, hi], y: [lo, hi], line: { dash: 'dash', color: 'gray' } });
  }
  return { data, layout: layout(o, { showlegend: data.length > 1 }) };
}

/** Histogram of one or more value lists, overlaid. */
export function histogram(series: Array<{ name?: string; values: number[] }>, o: ChartOptions & { bins?: number } = {}): Figure {
  const data = series.map((s) => ({ type: 'histogram', name: s.name, x: s.values, nbinsx: o.bins, opacity: series.length > 1 ? 0.6 : 1 }));
  return { data, layout: layout({ yTitle: 'count', ...o }, { barmode: 'overlay', showlegend: series.length > 1 }) };
}
