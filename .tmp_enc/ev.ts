import { readTrecRun, readTrecQrels } from '../lib/data/trec';
import { evaluate } from '../lib/eval';
(async()=>{ const run=(await readTrecRun(process.argv[2])).value; const qrels=(await readTrecQrels('data/demo/dl19/qrels.trec')).value;
const r = evaluate(qrels, run, ['nDCG@10','R@100'] as any, {relLevel: 2} as any); console.log(JSON.stringify((r as any).mean), (r as any).queries?.length ?? '');})();
