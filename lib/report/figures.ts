/**
 * Plotly figure objects (plain JSON) for the charts notebooks draw most: bars, lines, scatter, histograms.
 */

/** A plotly figure: traces plus layout, JSON-serialisable; `caption` is the sentence shown under it. */
export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  caption?: string;
}

/** One named series of a chart. */
export interface Series {
  name?: string;
  x: Array<number | string>;
  y: number[];
  /** Error bars (e.g. a standard deviation over seeds). */
  error?: number[];
}

/** Titles shared by every builder; axis titles should carry their unit (e.g. "nDCG@10", "seconds"). */
export interface ChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** One sentence saying what to read from the figure, shown under it. */
  caption?: string;
}

/** Longest title line before it wraps: plotly never wraps titles itself, so long ones were clipped. */
const TITLE_LINE = 64;
/** One font for every figure of the package. */
export const FIGURE_FONT = { family: 'Helvetica, Arial, sans-serif', size: 13, color: '#222' };

/** Breaks a title into lines of at most `width` characters at spaces (plotly's `<br>`). */
export function wrapTitle(title: string, width = TITLE_LINE): string {
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('<br>');
}

function layout(o: ChartOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const title = o.title ? wrapTitle(o.title) : undefined;
  const titleLines = title ? title.split('<br>').length : 0;
  return {
    title: title ? { text: title, x: 0.5, xanchor: 'center', y: 0.98, yanchor: 'top', font: { size: 16 } } : undefined,
    font: FIGURE_FONT,
    xaxis: { title: { text: o.xTitle ?? '' }, automargin: true },
    yaxis: { title: { text: o.yTitle ?? '' }, automargin: true },
    template: undefined,
    margin: { t: title ? 30 + 22 * titleLines : 20, r: 30, b: 60, l: 70 },
    legend: { orientation: 'h', y: -0.2 },
    ...extra,
  };
}

function withCaption(fig: Figure, o: ChartOptions): Figure {
  return o.caption ? { ...fig, caption: o.caption } : fig;
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
  return withCaption({ data, layout: layout(o, { barmode: 'group', showlegend: series.length > 1 }) }, o);
}

/** Line chart with markers, one trace per series. */
export function lineChart(series: Series[], o: ChartOptions = {}): Figure {
  series.forEach(checkSeries);
  const data = series.map((s) => ({ type: 'scatter', mode: 'lines+markers', name: s.name, x: s.x, y: s.y, error_y: errorY(s) }));
  return withCaption({ data, layout: layout(o, { showlegend: series.length > 1 }) }, o);
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
  return withCaption({ data, layout: layout(o, { showlegend: data.length > 1 }) }, o);
}

/** Histogram of one or more value lists, overlaid. */
export function histogram(series: Array<{ name?: string; values: number[] }>, o: ChartOptions & { bins?: number } = {}): Figure {
  const data = series.map((s) => ({ type: 'histogram', name: s.name, x: s.values, nbinsx: o.bins, opacity: series.length > 1 ? 0.6 : 1 }));
  return withCaption({ data, layout: layout({ yTitle: 'count', ...o }, { barmode: 'overlay', showlegend: series.length > 1 }) }, o);
}

/** A mean with its confidence interval, for {@link sortedDifferenceChart}. */
export interface MeanInterval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  /** e.g. 0.95 */
  readonly level: number;
}

/**
 * Per-query differences (system A − system B) sorted, one bar each, with the mean and its confidence
 * band drawn across: how many queries gain or lose, and whether the mean is clear of zero.
 */
export function sortedDifferenceChart(items: ReadonlyArray<{ id: string; value: number }>, interval: MeanInterval, o: ChartOptions = {}): Figure {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const x = sorted.map((_d, i) => i + 1);
  const span = [0.5, sorted.length + 0.5];
  const pct = Math.round(interval.level * 100);
  const data: Array<Record<string, unknown>> = [
    { type: 'bar', name: 'per query', x, y: sorted.map((d) => d.value), text: sorted.map((d) => d.id), marker: { color: sorted.map((d) => (d.value >= 0 ? '#2a7ab0' : '#c0504d')) } },
    { type: 'scatter', mode: 'lines', name: `${pct}% CI of the mean`, x: [...span, ...span.slice().reverse()], y: [interval.low, interval.low, interval.high, interval.high], fill: 'toself', fillcolor: 'rgba(120,120,120,0.2)', line: { width: 0 } },
    { type: 'scatter', mode: 'lines', name: `mean ${interval.mean >= 0 ? '+' : ''}${interval.mean.toFixed(4)}`, x: span, y: [interval.mean, interval.mean], line: { color: 'black', dash: 'dash' } },
  ];
  return withCaption({ data, layout: layout({ xTitle: 'query (sorted by difference)', ...o }, { showlegend: true, bargap: 0.1 }) }, o);
}
