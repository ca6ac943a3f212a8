/** The registry of measure families, by the name used in measure strings. */
import type { MeasureDefinition } from './types';
import { ndcg } from './ndcg';
import { rr } from './rr';
import { recall } from './recall';
import { precision } from './precision';
import { ap } from './ap';
import { judged } from './judged';

export type { MeasureDefinition } from './types';

/** All measure families, keyed by family name. */
export const MEASURES: ReadonlyMap<string, MeasureDefinition> = new Map(
  [ndcg, rr, recall, precision, ap, judged].map((m) => [m.family, m]),
);
