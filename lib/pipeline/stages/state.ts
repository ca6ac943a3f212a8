/**
 * The typed values the method's stages hand each other, and the state one iteration carries to
 * the next (saved as JSON beside its checkpoint, so a resumed run continues from it).
 */
import type { DocId, QueryId } from '../../data/types';

/** An assistant of the pool with its held-out quality (nDCG@10). */
export interface PoolEntry {
  readonly name: string;
  readonly quality: number;
}

/** A student column that replaced an assistant: its scores over the training candidates and its checkpoint. */
export interface StudentColumn {
  /** Name of the raw-table column it took over. */
  readonly replaced: string;
  /**
   * Score log (lib/assistants/scoreLog.ts) of its scores, one record per query aligned with the raw
   * table's docIds of that query (stages/studentColumn.ts): as JSON in the state they passed V8's
   * string limit at MS MARCO's size.
   */
  readonly scoresLog?: string;
  /** Query → scores, as states written before the score log hold them (read, never written). */
  readonly scores?: Record<QueryId, number[]>;
  /** Encoder checkpoint of that student (it scores newly mined pairs later). */
  readonly modelDir: string;
}

/** Newly mined, scored pairs of one query: the positive first, then the mined negatives. */
export interface HardBlock {
  readonly queryId: QueryId;
  readonly docIds: DocId[];
  /** Model name → filled scores aligned with docIds. */
  readonly scores: Record<string, number[]>;
}

/** What one iteration hands the next. */
export interface CarriedState {
  readonly pool: PoolEntry[];
  readonly studentColumns: Record<string, StudentColumn>;
  /** Columns (teacher first, then the pool) the hard blocks were scored with. */
  readonly hardModels: string[];
  /** File of the hard blocks, one line per query (stages/hardBlocks.ts); absent when there are none. */
  readonly hardBlocksFile?: string;
  /** The blocks inline, as states written before the file hold them (read, never written by runMethod). */
  readonly hardBlocks?: HardBlock[];
}

/** Scored / imputed pair counts of one model on the newly mined pairs. */
export interface PairCounts {
  readonly scored: number;
  readonly imputed: number;
}
