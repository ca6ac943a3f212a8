/**
 * Measure strings, ir_measures style: `nDCG@10`, `RR@10`, `R@100`, `P@5`, `AP`, `Judged@10`,
 * `RR(rel=2)@10`; plus trec_eval names (`ndcg_cut_10`, `recip_rank`, `map`, `P_5`, `recall_100`).
 */
import { MEASURES, type MeasureDefinition } from './measures';

/** A parsed measure; `name` is the string exactly as given (the key of every result). */
export interface ParsedMeasure {
  readonly name: string;
  readonly definition: MeasureDefinition;
  /** The @k cutoff; undefined = the whole ranking. */
  readonly cutoff?: number;
  /** A relevance level written in the string (`rel=2`); else the evaluation's default applies. */
  readonly relLevel?: number;
}

/** Raised for a measure string that is not understood; the message lists what is. */
export class MeasureSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasureSyntaxError';
  }
}

const ALIASES: Record<string, string> = { MRR: 'RR', MAP: 'AP', Recall: 'R', NDCG: 'nDCG', ndcg: 'nDCG' };

const TREC_EVAL_NAMES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^ndcg_cut[._](\d+)$/, (m) => `nDCG@${m[1]}`],
  [/^recip_rank$/, () => 'RR'],
  [/^map$/, () => 'AP'],
  [/^map_cut[._](\d+)$/, (m) => `AP@${m[1]}`],
  [/^P[._](\d+)$/, (m) => `P@${m[1]}`],
  [/^recall[._](\d+)$/, (m) => `R@${m[1]}`],
];

const SYNTAX = /^([A-Za-z]+)(?:\(rel=(-?\d+)\))?(?:@(\d+))?$/;

/** The accepted forms, for error messages and help. */
export function measureHelp(): string {
  const families = [...MEASURES.values()].map((m) => `${m.family}${m.usesRelLevel ? '[(rel=N)]' : ''}${m.cutoff === 'required' ? '@k' : '[@k]'}`);
  return `known measures: ${families.join(', ')}; e.g. nDCG@10, RR(rel=2)@10, R@100, AP; trec_eval names ndcg_cut_10, recip_rank, map, P_5, recall_100`;
}

/** Parses one measure string; throws MeasureSyntaxError naming the string and the accepted forms. */
export function parseMeasure(name: string): ParsedMeasure {
  const trimmed = name.trim();
  let canonical = trimmed;
  for (const [re, f] of TREC_EVAL_NAMES) {
    const m = trimmed.match(re);
    if (m) { canonical = f(m); break; }
  }
  const m = canonical.match(SYNTAX);
  if (!m) throw new MeasureSyntaxError(`cannot parse measure '${name}'; ${measureHelp()}`);
  const family = ALIASES[m[1]!] ?? m[1]!;
  const definition = MEASURES.get(family);
  if (!definition) throw new MeasureSyntaxError(`unknown measure '${name}'; ${measureHelp()}`);
  const relLevel = m[2] === undefined ? undefined : Number(m[2]);
  if (relLevel !== undefined && !definition.usesRelLevel) throw new MeasureSyntaxError(`measure '${name}': ${family} is graded and takes no rel= level`);
  const cutoff = m[3] === undefined ? undefined : Number(m[3]);
  if (cutoff === undefined && definition.cutoff === 'required') throw new MeasureSyntaxError(`measure '${name}' needs a cutoff, e.g. ${family}@10`);
  if (cutoff !== undefined && cutoff < 1) throw new MeasureSyntaxError(`measure '${name}': the cutoff must be at least 1`);
  return { name, definition, ...(cutoff !== undefined ? { cutoff } : {}), ...(relLevel !== undefined ? { relLevel } : {}) };
}

/** Parses a comma-separated list (`nDCG@10,RR@10`), rejecting duplicates. */
export function parseMeasureList(list: string): ParsedMeasure[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new MeasureSyntaxError(`no measure given; ${measureHelp()}`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new MeasureSyntaxError(`measure '${dup}' is listed twice`);
  return names.map(parseMeasure);
}
