import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels } from '../lib/backend/wasm-kernels';
import { tokenizerFromVocab } from '../lib/text';
import { createDualEncoder, DEFAULT_STUDENT } from '../lib/models';
import { readFileSync } from 'node:fs'; import { gunzipSync } from 'node:zlib';
(async()=>{ await tf.setBackend('wasm'); patchWasmKernels();
const tok = tokenizerFromVocab('data/models/bert-base-uncased/vocab.txt');
const all = gunzipSync(readFileSync('data/demo/dl19/passages.jsonl.gz')).toString().split('\n').filter(Boolean).map(l=>JSON.parse(l).text);
const sample = all.filter((_, i) => i % 15 === 0); // ~970 passages spread over the pool
for (const c of JSON.parse(process.argv[2])) {
  const m = createDualEncoder({...DEFAULT_STUDENT, ...c}, tok, {seed:0});
  await m.encode(sample.slice(0,4),'passage');
  const c0=process.cpuUsage(); const t0=Date.now(); await m.encode(sample,'passage'); const cu=process.cpuUsage(c0);
  const cpu=(cu.user+cu.system)/1e6;
  console.log(JSON.stringify({c, n: sample.length, wallS:(Date.now()-t0)/1000, cpuS: cpu, poolCpuS: cpu*all.length/sample.length}));
  m.dispose();
}})();
