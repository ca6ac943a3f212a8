import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { tokenizerFromVocab } from '../lib/text';
import { createDualEncoder } from '../lib/models/dualEncoder';
import { DEFAULT_STUDENT } from '../lib/models/config';
(async()=>{ await tf.setBackend(process.argv[2]??'wasm');
const tok = tokenizerFromVocab('data/models/bert-base-uncased/vocab.txt');
const m = createDualEncoder({...DEFAULT_STUDENT, zeroInitResiduals:false}, tok, {seed:1});
const e = await m.encode(['hello world','what is a dog', 'x'], 'query'); console.log(e.rows, e.dim, e.data.slice(0,4), tf.memory().numTensors);
const e2 = await m.encode(['hello world','what is a dog', 'x', 'y'], 'query'); console.log(e2.data.slice(0,4), tf.memory().numTensors);
const opt = tf.train.adam(1e-3);
const qb = m.tokenize(Array(8).fill('what is the capital of france'), 'query');
const pb = m.tokenize(Array(64).fill('Paris is the capital and most populous city of France. '.repeat(6)), 'passage');
for (let s=0;s<3;s++){ const t0=Date.now();
 const loss = opt.minimize(()=> { const q=m.embed(qb,'query',true), p=m.embed(pb,'passage',true); return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0,8,16,24,32,40,48,56],'int32'),64), tf.matMul(q,p,false,true).mul(20)) as tf.Scalar;}, true, m.trainableVariables());
 console.log('step', Date.now()-t0, 'ms', loss!.dataSync()[0], tf.memory().numTensors); loss!.dispose(); }
})();
