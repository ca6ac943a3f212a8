/**
 * Ratios of the project's benchmark figures to the PyTorch reference measured in the same
 * `mta4dpr bench` run (bench/torch.ts): speed-ups for encoding and search (ours / PyTorch, ≥ 1 =
 * at least as fast) and a time ratio for training (our step time / PyTorch's, ≤ 1 is the target).
 * Figures measured interleaved with PyTorch's (bench/_interleave.ts) are preferred to the separate reference run.
 */

type Row = Record<string, unknown>;

/** One comparison line of the report. */
export interface BenchRatio {
  readonly what: string;
  readonly model?: string;
  readonly engine: string;
  readonly ours: number;
  readonly torch: number;
  /** encode/search: ours ÷ torch throughput; train: torch ÷ ours throughput (= our time ÷ torch's). */
  readonly ratio: number;
  readonly meaning: string;
  /** Where both sides ran interleaved (bench/_interleave.ts): the pair ratios' range and the 1-minute load averages. */
  readonly interleaved?: { readonly pairs: number; readonly minRatio: number; readonly maxRatio: number; readonly loadAverage1m: readonly number[] };
}

/** The interleaving summary of a result row, with ratios turned the way `ratio` is (time for training). */
function interleavedOf(r: Row, time: boolean): BenchRatio['interleaved'] {
  const i = r.interleaved as { pairRatios?: number[]; loadAverage1m?: number[] } | undefined;
  if (!i?.pairRatios?.length) return undefined;
  const ratios = i.pairRatios.map((x) => (time ? 1 / x : x));
  return { pairs: ratios.length, minRatio: Math.min(...ratios), maxRatio: Math.max(...ratios), loadAverage1m: i.loadAverage1m ?? [] };
}

function resultsOf(outcomes: ReadonlyArray<{ name: string; ok: boolean; result?: unknown }>, name: string): Row | undefined {
  const o = outcomes.find((x) => x.name === name && x.ok);
  return o?.result as Row | undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** Every ratio the outcomes allow; empty when the reference was skipped. */
export function torchRatios(outcomes: ReadonlyArray<{ name: string; ok: boolean; result?: unknown }>): BenchRatio[] {
  const separate = resultsOf(outcomes, 'torch');
  const torch = separate && !separate.skipped ? separate : undefined;
  const ref = new Map(((torch?.results as Row[] | undefined) ?? []).map((r) => [r.model as string, r]));
  const out: BenchRatio[] = [];
  for (const r of ((resultsOf(outcomes, 'encode')?.results as Row[] | undefined) ?? [])) {
    const ours = num(r.passagesPerSecond);
    const t = num((ref.get(r.model as string)?.encode as Row | undefined)?.passagesPerSecond);
    if (ours && t) out.push({ what: 'encode passages/s', model: r.model as string, engine: r.engine as string, ours, torch: t, ratio: ours / t, meaning: 'speed-up (≥ 1: at least as fast as PyTorch)' });
  }
  for (const r of ((resultsOf(outcomes, 'train')?.results as Row[] | undefined) ?? [])) {
    const ours = num(r.groupsPerSecond);
    // Interleaved repetitions (bench/_interleave.ts) beat the separate reference run: same load.
    const t = num((r.torch as Row | undefined)?.groupsPerSecond) ?? num((ref.get(r.model as string)?.train as Row | undefined)?.groupsPerSecond);
    if (ours && t) out.push({ what: 'train groups/s', model: r.model as string, engine: r.native ? 'tfjs-wasm+native' : 'tfjs-wasm', ours, torch: t, ratio: t / ours, meaning: 'step time ÷ PyTorch step time (≤ 1 is the target)', ...(interleavedOf(r, true) ? { interleaved: interleavedOf(r, true) } : {}) });
  }
  const tsSeparate = num((torch?.search as Row | undefined)?.queriesPerSecond);
  for (const r of ((resultsOf(outcomes, 'search')?.results as Row[] | undefined) ?? [])) {
    const ours = num(r.queriesPerSecond);
    const ts = num((r.torch as Row | undefined)?.queriesPerSecond) ?? tsSeparate;
    if (ours && ts) out.push({ what: 'exact search queries/s (100k × 768, top-100)', engine: r.engine as string, ours, torch: ts, ratio: ours / ts, meaning: 'speed-up (≥ 1: at least as fast as PyTorch)', ...(interleavedOf(r, false) ? { interleaved: interleavedOf(r, false) } : {}) });
  }
  return out;
}

const fmt = (x: number): string => x.toFixed(x < 100 ? 2 : 0);

/** The ratios as a Markdown table (for the README), with the run's date and machine. */
export function ratiosMarkdown(ratios: readonly BenchRatio[], date: string, machine: string): string {
  const lines = [
    `Measured ${date} on ${machine} (\`npm run bench\`; \`bench/results/latest.json\`).`,
    '',
    '| work | model | ours (engine) | ours | PyTorch | ratio | pairs: ratio range, load average (1 min) |',
    '|---|---|---|---|---|---|---|',
    ...ratios.map((r) => `| ${r.what} | ${r.model ?? '–'} | ${r.engine} | ${fmt(r.ours)} | ${fmt(r.torch)} | ${r.ratio.toFixed(2)}${r.what.startsWith('train') ? ' (time)' : '×'} | ${
      r.interleaved ? `${r.interleaved.pairs}: ${r.interleaved.minRatio.toFixed(2)}–${r.interleaved.maxRatio.toFixed(2)}, load ${Math.min(...r.interleaved.loadAverage1m).toFixed(1)}–${Math.max(...r.interleaved.loadAverage1m).toFixed(1)}` : 'separate runs'} |`),
  ];
  return lines.join('\n');
}
