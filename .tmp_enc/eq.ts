import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmKernels, unpatchWasmKernels } from '../lib/backend/wasm-kernels';
(async()=>{ await tf.setBackend('wasm');
const cases: Array<[number[],number[],boolean,boolean]> = [[[5,7],[7,3],false,false],[[7,5],[7,3],true,false],[[5,7],[3,7],false,true],[[7,5],[3,7],true,true],[[4,5,7],[4,7,3],false,false],[[2,3,5,7],[2,3,3,7],false,true],[[4,7,5],[4,7,3],true,false],[[1,5,7],[1,3,7],false,true],[[4,5,7],[1,7,3],false,false]];
for (const [sa,sb,ta,tb] of cases){ const a=tf.randomNormal(sa,0,1,'float32',1), b=tf.randomNormal(sb,0,1,'float32',2);
 unpatchWasmKernels(); const r0=tf.matMul(a,b,ta,tb); patchWasmKernels(); const r1=tf.matMul(a,b,ta,tb);
 console.log(sa,sb,ta,tb, r1.shape.join()===r0.shape.join(), tf.max(tf.abs(r0.sub(r1))).dataSync()[0], tf.memory().numTensors); }
const n0 = (tf.backend() as any).numDataIds(); const a=tf.randomNormal([64,100,64]), b=tf.randomNormal([64,100,64]); for (let i=0;i<3;i++){ const t0=Date.now(); tf.matMul(a,b,false,true).dispose(); console.log('ms',Date.now()-t0);} console.log('dataIds', n0, (tf.backend() as any).numDataIds());
unpatchWasmKernels(); const t0=Date.now(); tf.matMul(a,b,false,true).dispose(); console.log('unpatched ms',Date.now()-t0);
})();
