/**
 * Embedding lookup whose gradient is a scatter, not tf's stock UnsortedSegmentSum (absent on wasm
 * and ~15× slower on the cpu backend); duplicate ids accumulate, as scatterND sums them.
 */
import * as tf from '@tensorflow/tfjs';

// The ids are a customGrad input and saved explicitly: tensors merely closed over are disposed
// before the backward pass runs.
const lookup = tf.customGrad(((table: tf.Tensor, ids: tf.Tensor, save: tf.GradSaveFunc) => {
  save([ids]);
  const shape = table.shape;
  return {
    value: tf.gather(table, ids),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [tf.scatterND(saved[0].expandDims(1), dy as tf.Tensor, shape), tf.zerosLike(saved[0])],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (table: tf.Tensor, ids: tf.Tensor) => tf.Tensor;

/** gather(table, ids) along axis 0 with an exact scatterND gradient for `table`. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const flat = ids.reshape([-1]).toInt();
  return lookup(table, flat).reshape([...ids.shape, table.shape[1]]);
}
