/**
 * Ratios of the project's benchmark figures to the PyTorch reference measured in the same
 * `mta4dpr bench` run (bench/torch.ts): speed-ups for encoding and search (ours / PyTorch, ≥ 1 =
 * at least as fast) and a time ratio for training (our step time / PyTorch's, ≤ 2 is the target).
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
}

function resultsOf(outcomes: ReadonlyArray<{ name: string; ok: boolean; result?: unknown }>, name: string): Row | undefined {
  const o = outcomes.find((x) => x.name === name && x.ok);
  return o?.result as Row | undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** Every ratio the outcomes allow; empty when the reference was skipped. */
export function torchRatios(outcomes: ReadonlyArray<{ name: string; ok: boolean; result?: unknown }>): BenchRatio[] {
  const torch = resultsOf(outcomes, 'torch');
  if (!torch || torch.skipped) return [];
  const ref = new Map(((torch.results as Row[] | undefined) ?? []).map((r) => [r.model as string, r]));
  const out: BenchRatio[] = [];
  for (const r of ((resultsOf(outcomes, 'encode')?.results as Row[] | undefined) ?? [])) {
    const ours = num(r.passagesPerSecond);
    const t = num((ref.get(r.model as string)?.encode as Row | undefined)?.passagesPerSecond);
    if (ours && t) out.push({ what: 'encode passages/s', model: r.model as string, engine: r.engine as string, ours, torch: t, ratio: ours / t, meaning: 'speed-up (≥ 1: at least as fast as PyTorch)' });
  }
  for (const r of ((resultsOf(outcomes, 'train')?.results as Row[] | undefined) ?? [])) {
    const ours = num(r.groupsPerSecond);
    const t = num((ref.get(r.model as string)?.train as Row | undefined)?.groupsPerSecond);
    if (ours && t) out.push({ what: 'train groups/s', model: r.model as string, engine: r.native ? 'tfjs-wasm+native' : 'tfjs-wasm', ours, torch: t, ratio: t / ours, meaning: 'step time ÷ PyTorch step time (≤ 2 is the target)' });
  }
  const ts = num((torch.search as Row | undefined)?.queriesPerSecond);
  for (const r of ((resultsOf(outcomes, 'search')?.results as Row[] | undefined) ?? [])) {
    const ours = num(r.queriesPerSecond);
    if (ours && ts) out.push({ what: 'exact search queries/s (100k × 768, top-100)', engine: r.engine as string, ours, torch: ts, ratio: ours / ts, meaning: 'speed-up (≥ 1: at least as fast as PyTorch)' });
  }
  return out;
}

/** The ratios as a Markdown table (for the README), with the run's date and machine. */
export function ratiosMarkdown(ratios: readonly BenchRatio[], date: string, machine: string): string {
  const lines = [
    `Measured ${date} on ${machine} (\`npm run bench\`; \`bench/results/latest.json\`).`,
    '',
    '| work | model | ours (engine) | ours | PyTorch | ratio |',
    '|---|---|---|---|---|---|',
    ...ratios.map((r) => `| ${r.what} | ${r.model ?? '–'} | ${r.engine} | ${r.ours.toFixed(r.ours < 100 ? 2 : 0)} | ${r.torch.toFixed(r.torch < 100 ? 2 : 0)} | ${r.ratio.toFixed(2)}${r.what.startsWith('train') ? ' (time)' : '×'} |`),
  ];
  return lines.join('\n');
}
