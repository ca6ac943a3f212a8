/**
 * The teacher's and assistants' scorers of an experiment: one Scorer per configured model on a
 * split, and the set of every model any row uses (one name, one model, across rows).
 */
import { createScorer } from '../assistants/scorers/create';
import type { Scorer } from '../assistants/types';
import type { MethodConfig, ModelRef } from '../config';
import type { Split } from './splits';

/**
 * The Scorer of a configured model on `split`: its run file, its rank order, BM25, or a model folder
 * (lib/assistants/scorers/create.ts). Each has a content key (run entries, model bytes), so changed
 * inputs give new cached scores.
 */
export function scorerFor(ref: ModelRef, split: Split): Promise<Scorer> {
  return createScorer(ref, { source: `split ${split.name}`, runs: split.runs });
}

/** Every teacher/assistant any row uses, by name (names must mean the same model in every row). */
export function allModels(configs: readonly MethodConfig[]): { teacher: ModelRef; assistants: ModelRef[] } {
  const teacher = configs[0].teacher;
  const byName = new Map<string, ModelRef>();
  for (const c of configs) {
    if (c.teacher.name !== teacher.name) throw new Error(`rows use different teachers (${teacher.name}, ${c.teacher.name}); one experiment has one teacher`);
    for (const a of c.assistants) {
      const seen = byName.get(a.name);
      if (seen && JSON.stringify(seen) !== JSON.stringify(a)) throw new Error(`assistant name '${a.name}' means two different models across rows`);
      byName.set(a.name, a);
    }
  }
  return { teacher, assistants: [...byName.values()] };
}

/** Scorers by model name for the teacher and every assistant of `models`. */
export async function scorersOf(models: { teacher: ModelRef; assistants: readonly ModelRef[] }, split: Split): Promise<Map<string, Scorer>> {
  const refs = [models.teacher, ...models.assistants];
  return new Map(await Promise.all(refs.map(async (m) => [m.name, await scorerFor(m, split)] as const)));
}
