/**
 * The assistant pool across iterations: named assistants with their quality on a held-out slice of
 * the training queries. After an iteration the student replaces the weakest assistant when it is
 * better. Quality is never measured on test queries (a guard throws).
 */
import type { QueryId } from '../data/types';

/** One member of the pool. */
export interface PoolMember<T> {
  readonly name: string;
  readonly model: T;
  readonly quality: number;
}

/** Computes a model's quality (higher = better, e.g. nDCG@10 via `evaluate`) on the given queries. */
export type QualityFn<T> = (model: T, queryIds: readonly QueryId[]) => Promise<number>;

/** What {@link AssistantPool.replaceWorst} did. */
export interface Replacement {
  readonly replaced: string | null;
  readonly weakestQuality: number;
  readonly candidateQuality: number;
}

/** Thrown when quality would be measured on a test query. */
export class TestLeakError extends Error {
  constructor(readonly queryIds: readonly QueryId[]) {
    super(`assistant pool: refusing to evaluate on ${queryIds.length} test quer${queryIds.length === 1 ? 'y' : 'ies'} (${queryIds.slice(0, 5).join(', ')}${queryIds.length > 5 ? ', …' : ''})`);
    this.name = 'TestLeakError';
  }
}

/** Named assistants with qualities measured on held-out training queries. */
export class AssistantPool<T> {
  private readonly entries: PoolMember<T>[] = [];
  private readonly testIds: ReadonlySet<QueryId>;
  readonly history: Array<Replacement & { readonly candidate: string }> = [];

  /** `heldOut`: the query slice quality is measured on; `testQueryIds`: queries it must never touch. */
  constructor(
    private readonly heldOut: readonly QueryId[],
    testQueryIds: Iterable<QueryId>,
    private readonly quality: QualityFn<T>,
  ) {
    this.testIds = new Set(testQueryIds);
    this.guard(heldOut);
  }

  /** Throws a TestLeakError if any of `queryIds` is a test query. */
  guard(queryIds: readonly QueryId[]): void {
    const leaked = queryIds.filter((q) => this.testIds.has(q));
    if (leaked.length > 0) throw new TestLeakError(leaked);
  }

  /** Quality of `model` on the held-out slice (or on `queryIds`, guarded). */
  async evaluate(model: T, queryIds: readonly QueryId[] = this.heldOut): Promise<number> {
    this.guard(queryIds);
    return this.quality(model, queryIds);
  }

  /** Adds an assistant, measuring its quality on the held-out slice unless given. */
  async add(name: string, model: T, quality?: number): Promise<PoolMember<T>> {
    if (this.entries.some((e) => e.name === name)) throw new RangeError(`assistant pool: '${name}' is already a member`);
    const member = { name, model, quality: quality ?? (await this.evaluate(model)) };
    this.entries.push(member);
    return member;
  }

  /** The members, in insertion order (replacement keeps the slot). */
  members(): readonly PoolMember<T>[] {
    return this.entries.slice();
  }

  /** The lowest-quality member (first one on ties). */
  weakest(): PoolMember<T> {
    if (this.entries.length === 0) throw new RangeError('assistant pool: empty');
    return this.entries.reduce((w, e) => (e.quality < w.quality ? e : w));
  }

  /**
   * Replaces the weakest member by the student when the student's quality is strictly higher
   * (measured on the held-out slice when `quality` is omitted); returns what happened.
   */
  async replaceWorst(name: string, student: T, quality?: number): Promise<Replacement> {
    const q = quality ?? (await this.evaluate(student));
    const weakest = this.weakest();
    const result: Replacement = { replaced: q > weakest.quality ? weakest.name : null, weakestQuality: weakest.quality, candidateQuality: q };
    if (result.replaced !== null) {
      if (this.entries.some((e) => e.name === name)) throw new RangeError(`assistant pool: '${name}' is already a member`);
      this.entries[this.entries.indexOf(weakest)] = { name, model: student, quality: q };
    }
    this.history.push({ ...result, candidate: name });
    return result;
  }
}
