/**
 * `mta4dpr eval`: evaluates a TREC run against qrels with trec_eval semantics and prints the means
 * (an aligned table, or JSON with the measure names exactly as given, at full precision). The
 * qrels are a TREC file, or the judgments of a dataset a config declares (any format, splits too).
 */
import type { Command } from '../cli';
import { UnknownDatasetError } from '../data/resolver';
import type { Qrels } from '../data/types';
import { readConfigDatasets } from './data';
import { parseFlags, requireFlag, numberFlag, UsageError } from './args';
import { readTrecQrels, readTrecRun } from '../data/trec';
import { evaluate, parseMeasureList, MeasureSyntaxError, type RankingOrder } from '../eval';
import { InputError } from '../io';

const USAGE = 'mta4dpr eval (--qrels FILE | --config FILE --dataset NAME) --run FILE [--metrics nDCG@10,RR@10,R@100,AP] [--rel-level N] [--order score|rank] [--missing-as-zero] [--per-query] [--json] [--lenient]';
const DEFAULT_METRICS = 'nDCG@10,RR@10,R@100,AP';

const HELP = `usage: ${USAGE}

  --qrels FILE        TREC qrels (qid 0|Q0 docid grade)
  --config FILE       instead of --qrels: an experiment config whose "datasets" object (or the
  --dataset NAME      embedded registry) names the dataset; its judgments, in any format, e.g.
                      --dataset mine/test for the test part of a declared split
  --run FILE          TREC run (qid Q0 docid rank score tag)
  --metrics LIST      comma-separated measures (default ${DEFAULT_METRICS}); e.g. nDCG@10, RR(rel=2)@10, P@5, Judged@10
  --rel-level N       minimum relevant grade for binary measures (default 1; TREC DL uses 2)
  --order score|rank  rank by score with trec_eval's tie-break (default) or by the run's rank column
  --missing-as-zero   average over all qrels queries, those missing from the run scoring 0 (trec_eval -c)
  --per-query         also print per-query values
  --json              print one JSON object {"<measure>": value, ...} at full precision
  --lenient           skip malformed lines (counted on stderr) instead of failing`;

function parseOrder(v: unknown): RankingOrder {
  if (v === undefined) return 'score';
  if (v === 'score' || v === 'rank') return v;
  throw new UsageError(`--order must be 'score' or 'rank', got '${String(v)}'`, USAGE);
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The judgments of dataset `name` as the config at `configPath` declares it (its problems are `data check`'s to list). */
async function datasetQrels(configPath: string, name: string): Promise<Qrels> {
  const dataset = await readConfigDatasets(configPath).resolver.load(name);
  if (!dataset.qrels) throw new InputError(configPath, undefined, `dataset ${name} has no judgments`);
  return dataset.qrels;
}

export const command: Command = {
  summary: 'evaluate a TREC run against qrels (trec_eval semantics: nDCG@k, RR@k, R@k, P@k, AP, Judged@k)',
  async run(argv: string[]): Promise<number> {
    const flags = parseFlags(argv, {
      qrels: { type: 'string' }, config: { type: 'string' }, dataset: { type: 'string' }, run: { type: 'string' }, metrics: { type: 'string' },
      'rel-level': { type: 'string' }, order: { type: 'string' }, 'missing-as-zero': { type: 'boolean' },
      'per-query': { type: 'boolean' }, json: { type: 'boolean' }, lenient: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    }, USAGE);
    if (flags.help) { console.log(HELP); return 0; }
    const fromConfig = typeof flags.config === 'string' || typeof flags.dataset === 'string';
    if (fromConfig && typeof flags.qrels === 'string') throw new UsageError('give --qrels or --config with --dataset, not both', USAGE);
    const qrelsPath = fromConfig ? undefined : requireFlag(flags, 'qrels', USAGE);
    const configPath = fromConfig ? requireFlag(flags, 'config', USAGE) : undefined;
    const datasetName = fromConfig ? requireFlag(flags, 'dataset', USAGE) : undefined;
    const runPath = requireFlag(flags, 'run', USAGE);
    const relLevel = numberFlag(flags, 'rel-level', 1);
    if (!Number.isInteger(relLevel)) throw new UsageError(`--rel-level must be an integer, got '${String(flags['rel-level'])}'`, USAGE);
    const order = parseOrder(flags.order);
    let measures;
    try {
      measures = parseMeasureList(typeof flags.metrics === 'string' ? flags.metrics : DEFAULT_METRICS);
    } catch (e) {
      if (e instanceof MeasureSyntaxError) throw new UsageError(e.message, USAGE);
      throw e;
    }
    const strict = !flags.lenient;
    let qrels: Qrels, run;
    const skipped: Array<{ file: string; line: number; reason: string }> = [];
    try {
      if (qrelsPath !== undefined) {
        const read = await readTrecQrels(qrelsPath, { strict });
        qrels = read.value;
        for (const k of read.report.skipped) skipped.push(k);
      } else {
        qrels = await datasetQrels(configPath!, datasetName!);
      }
      run = await readTrecRun(runPath, { strict });
    } catch (e) {
      if (e instanceof InputError || e instanceof UnknownDatasetError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
        console.error(`mta4dpr eval: ${(e as Error).message}`);
        return 1;
      }
      throw e;
    }
    for (const s of [...skipped, ...run.report.skipped]) console.error(`warning: skipped ${s.file}:${s.line}: ${s.reason}`);
    if (order === 'score' && run.report.tiedQueries > 0) {
      console.error(`warning: ${run.report.tiedQueries} quer${run.report.tiedQueries === 1 ? 'y has' : 'ies have'} tied scores that the run's rank column orders differently than trec_eval's tie-break (docid descending); evaluated in trec_eval order (use --order rank for the file's order)`);
    }
    if (run.report.rankInversions > 0) console.error(`warning: ${run.report.rankInversions} quer${run.report.rankInversions === 1 ? 'y has' : 'ies have'} a rank column that contradicts the scores (order: ${order})`);
    const result = evaluate(qrels, run.value, measures, { relLevel, order, missingAsZero: Boolean(flags['missing-as-zero']) });
    if (result.missingFromRun.length) console.error(`note: ${result.missingFromRun.length} qrels quer${result.missingFromRun.length === 1 ? 'y is' : 'ies are'} not in the run (${flags['missing-as-zero'] ? 'scored 0' : 'not averaged; --missing-as-zero scores them 0'})`);
    if (result.unjudgedRunQueries.length) console.error(`note: ${result.unjudgedRunQueries.length} run quer${result.unjudgedRunQueries.length === 1 ? 'y has' : 'ies have'} no judgments (not evaluated)`);
    if (result.queries === 0) {
      console.error('mta4dpr eval: no queries with both results and judgments');
      return 1;
    }
    if (flags.json) {
      const out: Record<string, unknown> = { ...result.mean };
      if (flags['per-query']) out.perQuery = Object.fromEntries(result.perQuery);
      console.log(JSON.stringify(out));
      return 0;
    }
    const names = measures.map((m) => m.name);
    const rows: string[][] = [];
    if (flags['per-query']) for (const [qid, v] of result.perQuery) rows.push([qid, ...names.map((n) => v[n]!.toFixed(4))]);
    rows.push([`all (${result.queries} queries)`, ...names.map((n) => result.mean[n]!.toFixed(4))]);
    console.log(formatTable(['query', ...names], rows));
    return 0;
  },
};
