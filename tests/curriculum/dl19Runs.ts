/** Test fixture: DL19 with its BM25 run (a student of known ranks) and SPLADE++ run (the teacher). */
import { loadDataset, readTrecRun, type Dataset } from '../../lib/data';
import type { Run } from '../../lib/data/types';

/** DL19, its BM25 run and its SPLADE++ run, read from the project's data. */
export async function loadDl19Runs(): Promise<{ ds: Dataset; bm25: Run; splade: Run }> {
  const ds = await loadDataset('dl19');
  return {
    ds,
    bm25: (await readTrecRun(ds.runFiles.BM25)).value,
    splade: (await readTrecRun(ds.runFiles.SPLADE_P_P_ENSEMBLE_DISTIL)).value,
  };
}
