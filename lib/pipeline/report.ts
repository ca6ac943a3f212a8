/**
 * Writing an experiment's results: results.json (machine-readable, the matrix checks it),
 * per-query.json, report.md and report.html (tables, paired tests, figures as PNG), all atomic and
 * free of wall-clock values, which go to timings.json.
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { barChart, figureToPng, lineChart, markdownTable, writeHtmlReport, type Figure, type ReportSection } from '../report';
import { timelessRecord } from './method';
import { PAPER_ASSISTANT_GAP } from './paper';
import type { ReproduceResults, RowOutcome } from './reproduce';

/** The main table as rows of strings: "mean ± std" per measure. */
export function resultsTableRows(results: ReproduceResults): Array<Record<string, string | number>> {
  return results.rows.map((r) => {
    const row: Record<string, string | number> = { system: r.system, dataset: r.dataset, seeds: r.seeds };
    for (const [m, v] of Object.entries(r.metrics)) row[m] = r.seeds > 1 ? `${v.toFixed(4)} ± ${r.std[m].toFixed(4)}` : v.toFixed(4);
    return row;
  });
}

/** Paired tests as table rows. */
export function comparisonRows(results: ReproduceResults): Array<Record<string, string | number>> {
  return results.comparisons.map((c) => ({
    system: c.system, 'vs': c.against, dataset: c.dataset, measure: c.measure, 'Δ mean': c.meanDifference.toFixed(4),
    queries: c.queries, 'p (t-test)': c.tTestP.toFixed(4), 'p (randomisation)': c.randomizationP.toFixed(4),
    'MDD (80% power)': c.minimumDetectable === null ? '–' : c.minimumDetectable.toFixed(4),
    [`queries for the paper's gap (${PAPER_ASSISTANT_GAP.value})`]: c.queriesForPaperGap ?? '–', verdict: c.verdict,
  }));
}

/**
 * The outcomes that carry a trained row's iterations: one per (row, training split), since a
 * direction's test sets share one training run and the pooled set carries none.
 */
export function trainingOutcomes(results: ReproduceResults): RowOutcome[] {
  const seen = new Set<string>();
  return results.outcomes.filter((o) => {
    const key = `${o.system}\u0000${o.trainedOn}`;
    if (o.kind !== 'trained' || o.pooled || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A training outcome's name in figures and tables: the row, and its training split when there are several directions. */
function trainedName(results: ReproduceResults, o: RowOutcome): string {
  return results.directions.length > 1 ? `${o.system} (trained on ${o.trainedOn})` : o.system;
}

/**
 * Per iteration of each multi-iteration row: held-out nDCG@10 (mean over seeds), how many seeds
 * replaced an assistant by the student and which, and the got-wrong queries (min–max over seeds).
 */
export function iterationRows(results: ReproduceResults): Array<Record<string, string | number>> {
  const out: Array<Record<string, string | number>> = [];
  for (const o of trainingOutcomes(results)) {
    const seeds = Object.values(o.iterations);
    const n = Math.max(0, ...seeds.map((s) => s.length));
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      const its = seeds.map((s) => s[i]).filter((r) => r !== undefined);
      const replaced: Record<string, number> = {};
      for (const r of its) if (r.replaced) replaced[r.replaced] = (replaced[r.replaced] ?? 0) + 1;
      const wrong = its.map((r) => r.hardQueries.length);
      const heldOut = its.reduce((a, r) => a + r.heldOut['nDCG@10'], 0) / its.length;
      out.push({
        system: trainedName(results, o), iteration: i + 1, seeds: its.length, 'held-out nDCG@10': heldOut.toFixed(4),
        'student replaced': Object.keys(replaced).length === 0 ? `none of ${its.length}` : Object.entries(replaced).map(([k, v]) => `${k} (${v} of ${its.length})`).join(', '),
        'got wrong (queries)': Math.min(...wrong) === Math.max(...wrong) ? String(wrong[0]) : `${Math.min(...wrong)}–${Math.max(...wrong)}`,
      });
    }
  }
  return out;
}

/** Bar chart of one measure per system (error bars: std over seeds). */
export function resultsFigure(results: ReproduceResults, measure = 'nDCG@10'): Figure {
  const datasets = [...new Set(results.rows.map((r) => r.dataset))];
  return barChart(datasets.map((d) => {
    const rows = results.rows.filter((r) => r.dataset === d);
    return { name: d, x: rows.map((r) => r.system), y: rows.map((r) => r.metrics[measure]), error: rows.map((r) => r.std[measure]) };
  }), { title: `${measure} on the test split (mean ± std over seeds)`, yTitle: measure });
}

/** Held-out nDCG@10 of trained rows after each iteration (mean over seeds). */
export function iterationFigure(results: ReproduceResults): Figure | undefined {
  const series = trainingOutcomes(results).map((o) => {
    const seeds = Object.values(o.iterations);
    const n = Math.max(0, ...seeds.map((s) => s.length));
    const x = Array.from({ length: n }, (_, i) => i + 1);
    const y = x.map((i) => {
      const v = seeds.map((s) => s[i - 1]?.heldOut['nDCG@10']).filter((z): z is number => z !== undefined);
      return v.reduce((a, b) => a + b, 0) / v.length;
    });
    return { name: trainedName(results, o), x, y };
  }).filter((s) => s.x.length > 1);
  if (series.length === 0) return undefined;
  return lineChart(series, { title: 'Held-out nDCG@10 after each iteration', xTitle: 'iteration', yTitle: 'nDCG@10' });
}

/** Assistant choice counts over all batches of all iterations and seeds, per trained row. */
export function choiceRows(results: ReproduceResults): Array<Record<string, string | number>> {
  const out: Array<Record<string, string | number>> = [];
  for (const o of trainingOutcomes(results)) {
    const counts: Record<string, number> = {};
    for (const its of Object.values(o.iterations)) for (const it of its) for (const [k, v] of Object.entries(it.chosen)) counts[k] = (counts[k] ?? 0) + v;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) out.push({ system: trainedName(results, o), ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, `${v} (${((100 * v) / total).toFixed(0)}%)`])) });
  }
  return out;
}

/**
 * What no two runs share: this invocation's wall time and the compute time of each step and
 * iteration. They go to timings.json only, so a killed-and-resumed run's results.json,
 * per-query.json and report.md equal an uninterrupted run's byte for byte.
 */
export function timingsOf(results: ReproduceResults): Record<string, unknown> {
  return {
    startedAt: results.startedAt, elapsed_s: results.elapsed_s, step_seconds: results.step_seconds,
    iterations: results.outcomes.flatMap((o) => Object.entries(o.iterations).flatMap(([seed, its]) =>
      its.map((it) => ({ system: o.system, dataset: o.dataset, seed: Number(seed), iteration: it.iteration, seconds: it.seconds })))),
  };
}

/** The per-query outcomes without the iterations' wall-clock `seconds` (they are in timings.json). */
function timelessOutcomes(results: ReproduceResults): unknown[] {
  return results.outcomes.map((o) => ({
    ...o, iterations: Object.fromEntries(Object.entries(o.iterations).map(([seed, its]) => [seed, its.map(timelessRecord)])),
  }));
}

/** Writes results.json, per-query.json, timings.json, report.md, report.html and the figures' PNGs into `outDir`. */
export async function writeResults(results: ReproduceResults, outDir: string): Promise<void> {
  const { outcomes: _o, elapsed_s: _e, step_seconds: _s, startedAt: _t, ...summary } = results;
  await writeJsonAtomic(join(outDir, 'results.json'), summary);
  await writeJsonAtomic(join(outDir, 'per-query.json'), timelessOutcomes(results));
  await writeJsonAtomic(join(outDir, 'timings.json'), timingsOf(results));
  const figs: Array<{ name: string; fig: Figure }> = [{ name: 'results', fig: resultsFigure(results) }];
  const itFig = iterationFigure(results);
  if (itFig) figs.push({ name: 'iterations', fig: itFig });
  const pngs: Record<string, Buffer> = {};
  for (const f of figs) {
    pngs[f.name] = await figureToPng(f.fig, { width: 900, height: 500 });
    await writeFileAtomic(join(outDir, `${f.name}.png`), pngs[f.name]);
  }
  const b = results.backend;
  const trained = results.directions.map((d) => `on ${d.train} (held-out slice ${d.heldOut.length} queries), tested on ${d.tests.join(', ')}`).join('; and ');
  const pooled = results.directions.length > 1 ? ' The pooled rows and paired tests join every direction\'s test queries.' : '';
  const e = results.evaluation;
  const how = e.mode === 'retrieve'
    ? `Evaluation: dense retrieval over each test collection (top ${e.depth}, exact inner product)`
    : `Evaluation: re-ranking each test query's pool (union of the top ${e.depth} of the test set's runs)`;
  const levels = `relevance level ${Object.entries(e.relLevels).map(([t, l]) => `${l} on ${t}`).join(', ')}`;
  // A miniature run says so first: its numbers must not be read as the paper's.
  const data = e.miniature ? `**Data: ${e.miniature}.** ` : '';
  const header = `${data}Config \`${results.config}\`, trained ${trained}.${pooled} ${how}; bundled runs as published; ${levels}. ` +
    `Backend ${b.backend} (tfjs ${b.tfjsVersion}, ${b.threads} thread(s)), ${b.cpus} CPUs. Wall and compute times: timings.json.`;
  const choices = choiceRows(results);
  const iterations = iterationRows(results);
  const sections: ReportSection[] = [
    { heading: 'Setting', markdown: header },
    { heading: 'Main table (mean ± std over seeds)', table: resultsTableRows(results), pngs: [pngs.results] },
    { heading: 'Paired tests (per-query values averaged over seeds)', table: comparisonRows(results) },
  ];
  if (choices.length > 0) sections.push({ heading: 'Per-batch assistant selection', table: choices });
  if (iterations.length > 0 || pngs.iterations) sections.push({ heading: 'Iterations', ...(iterations.length > 0 ? { table: iterations } : {}), pngs: pngs.iterations ? [pngs.iterations] : [] });
  await writeHtmlReport(join(outDir, 'report.html'), { title: `MTA4DPR reproduction: ${results.config}`, sections });
  const md = [`# MTA4DPR reproduction: ${results.config}`, '', header, '',
    '## Main table (mean ± std over seeds)', '', markdownTable(resultsTableRows(results)), '', '![results](results.png)', '',
    '## Paired tests (per-query values averaged over seeds)', '', markdownTable(comparisonRows(results)), ''];
  if (choices.length > 0) md.push('## Per-batch assistant selection', '', markdownTable(choices), '');
  if (iterations.length > 0 || pngs.iterations) md.push('## Iterations', '');
  if (iterations.length > 0) md.push(markdownTable(iterations), '');
  if (pngs.iterations) md.push('![iterations](iterations.png)', '');
  await writeFileAtomic(join(outDir, 'report.md'), md.join('\n'));
}
