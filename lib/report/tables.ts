/**
 * Tables from row objects or danfojs-node DataFrames, as HTML (notebooks, reports) and markdown (logs, reports).
 */

/** One table row: column name → value. */
export type Row = Record<string, unknown>;

/** The part of a danfojs DataFrame a table needs (duck-typed so danfo loads only when used). */
export interface DataFrameLike {
  columns: string[];
  values: unknown[][] | unknown[];
}

/** Formatting of cells. */
export interface TableOptions {
  /** Decimals for non-integer numbers (default 4). */
  digits?: number;
}

/** A table normalised to a header and cell grid. */
export interface Grid {
  columns: string[];
  cells: unknown[][];
}

function isDataFrame(x: unknown): x is DataFrameLike {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Array.isArray((x as DataFrameLike).columns) && Array.isArray((x as DataFrameLike).values);
}

/** Normalises rows (columns in first-seen order; missing cells empty) or a DataFrame to a grid. */
export function toGrid(input: Row[] | DataFrameLike): Grid {
  if (isDataFrame(input)) {
    const values = input.values as unknown[];
    // A one-column danfo frame (or a Series) yields a flat array.
    const cells = values.map((r) => (Array.isArray(r) ? r : [r]));
    return { columns: input.columns.map(String), cells };
  }
  if (!Array.isArray(input)) throw new Error('table input must be an array of row objects or a danfojs DataFrame');
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of input) {
    for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); columns.push(k); }
  }
  return { columns, cells: input.map((r) => columns.map((c) => r[c])) };
}

/** Renders one cell as text: integers as is, other numbers with `digits` decimals, empty for null/undefined/NaN. */
export function formatCell(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Escapes text for HTML element content and attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A GitHub-flavoured markdown table. */
export function markdownTable(input: Row[] | DataFrameLike, o: TableOptions = {}): string {
  const { columns, cells } = toGrid(input);
  if (columns.length === 0) return '_(empty table)_';
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const numeric = columns.map((_, j) => cells.length > 0 && cells.every((r) => typeof r[j] === 'number' || r[j] == null));
  const lines = [
    `| ${columns.map(esc).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...cells.map((r) => `| ${r.map((v) => esc(formatCell(v, o.digits))).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** An HTML table (numbers right-aligned). */
export function htmlTable(input: Row[] | DataFrameLike, o: TableOptions = {}): string {
  const { columns, cells } = toGrid(input);
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = cells.map((r) => `<tr>${r.map((v) => {
    const align = typeof v === 'number' ? ' style="text-align:right"' : '';
    return `<td${align}>${escapeHtml(formatCell(v, o.digits))}</td>`;
  }).join('')}</tr>`).join('\n');
  return `<table class="mta4dpr-table">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Builds a danfojs-node DataFrame from rows (danfo is loaded on first use: it pulls in tfjs). */
export function toDataFrame(rows: Row[]): DataFrameLike {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as { DataFrame: new (data: unknown) => DataFrameLike };
  return new dfd.DataFrame(rows);
}
