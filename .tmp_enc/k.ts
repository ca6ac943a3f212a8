import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
(async()=>{ await tf.setBackend('wasm'); const b = tf.backend() as any;
for (const k of ['Erf','ScatterNd','GatherV2','Softplus','BatchMatMul','Transpose','UnsortedSegmentSum','Tanh','Softmax','Sqrt','Rsqrt','Max','Sum','Prod']) console.log(k, !!tf.getKernel(k,'wasm'));
})();
