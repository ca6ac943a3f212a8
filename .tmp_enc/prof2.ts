import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels } from '../lib/backend/wasm-kernels';
import { tokenizerFromVocab } from '../lib/text';
import { createDualEncoder, DEFAULT_STUDENT } from '../lib/models';
import { readFileSync } from 'node:fs'; import { gunzipSync } from 'node:zlib';
(async()=>{ await tf.setBackend('wasm'); patchWasmKernels();
const tok = tokenizerFromVocab('data/models/bert-base-uncased/vocab.txt');
const all = gunzipSync(readFileSync('data/demo/dl19/passages.jsonl.gz')).toString().split('\n').filter(Boolean).map(l=>JSON.parse(l).text);
for (const c of [{}, {heads:1}, {heads:4}]) {
const m = createDualEncoder({...DEFAULT_STUDENT, ...c}, tok, {seed:0});
const b = m.tokenize(all.slice(0,64),'passage');
tf.tidy(()=>m.embed(b,'passage',false).dataSync());
const prof = await tf.profile(()=>{ const e=m.embed(b,'passage',false); e.dataSync(); return e;});
const agg: Record<string,number> = {}; let tot=0;
for (const k of prof.kernels) { agg[k.name]=(agg[k.name]??0)+(k.kernelTimeMs as number); tot+=k.kernelTimeMs as number; }
console.log(JSON.stringify(c), b.inputIds.shape, 'total', tot.toFixed(0), Object.entries(agg).sort((a,b)=>b[1]-a[1]).slice(0,8).map(([k,v])=>k+':'+v.toFixed(0)).join(' '));
for (const k of prof.kernels.filter(k=>k.name==='BatchMatMul')) console.log('  ', JSON.stringify(k.inputShapes), (k.kernelTimeMs as number).toFixed(1));
m.dispose(); }
})();
