import * as tf from '@tensorflow/tfjs';
import { strict as assert } from 'node:assert';
import { combinedLoss, contrastive, groupScores, listwiseKl, marginMse } from '../../lib/train/losses';
import { checkGradient, values } from './fd';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const scalar = (t: tf.Scalar) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describe('train/losses', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  describe('listwiseKl', () => {
    it('matches a hand-computed KL, with 0·log 0 = 0', () => {
      // Row 1: softmax([0, ln 3]) = [1/4, 3/4], target [1/2, 1/2] → KL = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3).
      // Row 2: softmax([0, 0]) = [½, ½], target [1, 0] → KL = ln 2.
      const s = tf.tensor2d([[0, Math.log(3)], [0, 0]]);
      const p = tf.tensor2d([[0.5, 0.5], [1, 0]]);
      close(scalar(listwiseKl(s, p)), (0.5 * Math.log(4 / 3) + Math.log(2)) / 2);
      tf.dispose([s, p]);
    });

    it('divides student scores by the temperature', () => {
      const s = tf.tensor2d([[0, 2 * Math.log(3)]]);
      const p = tf.tensor2d([[0.5, 0.5]]);
      close(scalar(listwiseKl(s, p, { studentTemperature: 2 })), 0.5 * Math.log(4 / 3));
      tf.dispose([s, p]);
    });

    it('is zero when the student already matches the target', () => {
      const s = tf.tensor2d([[1, 2, 3]]);
      const p = tf.softmax(s) as tf.Tensor2D;
      assert.ok(Math.abs(scalar(listwiseKl(s, p))) < 1e-6);
      tf.dispose([s, p]);
    });

    it('has gradients equal to central finite differences', () => {
      const target = tf.tensor2d([[0.1, 0.2, 0.7, 0], [0.25, 0.25, 0.25, 0.25]]);
      checkGradient((x) => listwiseKl(x as tf.Tensor2D, target, { studentTemperature: 0.7 }), values(8, 1), [2, 4]);
      target.dispose();
    });
  });

  describe('contrastive', () => {
    // q1 = e1, q2 = e2; groups (e1, 0) and (e2, 0): each query's positive scores 1, every other passage 0.
    const q = () => tf.tensor2d([[1, 0], [0, 1]]);
    const p = () => tf.tensor2d([[1, 0], [0, 0], [0, 1], [0, 0]]);

    it('uses in-batch negatives: −log(e / (e + 3))', () => {
      const [a, b] = [q(), p()];
      close(scalar(contrastive(a, b)), Math.log((Math.E + 3) / Math.E));
      tf.dispose([a, b]);
    });

    it('uses only the group without in-batch negatives: −log(e / (e + 1)), and a temperature', () => {
      const [a, b] = [q(), p()];
      close(scalar(contrastive(a, b, undefined, { inBatchNegatives: false })), Math.log((Math.E + 1) / Math.E));
      close(scalar(contrastive(a, b, undefined, { temperature: 0.5 })), Math.log((Math.E ** 2 + 3) / Math.E ** 2));
      tf.dispose([a, b]);
    });

    it('honours explicit positive indices and rejects ones outside the group', () => {
      const [a, b] = [q(), p()];
      // Query 1's positive is row 1 (score 0) among scores [1, 0, 0, 0]: −log(1 / (e + 3)).
      close(scalar(contrastive(a, b, [1, 2])), (Math.log(Math.E + 3) + Math.log((Math.E + 3) / Math.E)) / 2);
      assert.throws(() => contrastive(a, b, [2, 2], { inBatchNegatives: false }), /outside its group/);
      tf.dispose([a, b]);
    });

    it('has gradients equal to central finite differences (query and passage side)', () => {
      const pe = tf.tensor2d(values(18, 3), [6, 3]);
      checkGradient((x) => contrastive(x as tf.Tensor2D, pe, undefined, { temperature: 0.5 }), values(6, 2), [2, 3]);
      const qe = tf.tensor2d(values(6, 2), [2, 3]);
      checkGradient((x) => contrastive(qe, x as tf.Tensor2D), values(18, 3), [6, 3]);
      tf.dispose([pe, qe]);
    });
  });

  describe('marginMse', () => {
    it('matches a hand-computed value', () => {
      // Student margins [2, 1], teacher margins [1, 4] → ((1)² + (−3)²) / 2 = 5.
      const s = tf.tensor2d([[3, 1, 2]]);
      const t = tf.tensor2d([[5, 4, 1]]);
      close(scalar(marginMse(s, t)), 5);
      tf.dispose([s, t]);
    });

    it('has gradients equal to central finite differences', () => {
      const t = tf.tensor2d(values(6, 9), [2, 3]);
      checkGradient((x) => marginMse(x as tf.Tensor2D, t), values(6, 4), [2, 3]);
      t.dispose();
    });
  });

  describe('combinedLoss', () => {
    it('weights its parts: α·contrastive + β·KL_T + γ·KL_A, each part returned', () => {
      const qe = tf.tensor2d([[1, 0], [0, 1]]);
      const pe = tf.tensor2d([[1, 0], [0, 0], [0, 1], [0, 0]]);
      // Own-group student scores are [1, 0] for both queries: softmax = [e/(e+1), 1/(e+1)].
      const pt = tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]);
      const pa = tf.tensor2d([[1, 0], [1, 0]]);
      const ps = Math.E / (Math.E + 1);
      const klT = 0.5 * Math.log(0.5 / ps) + 0.5 * Math.log(0.5 / (1 - ps));
      const klA = Math.log(1 / ps);
      const con = Math.log((Math.E + 3) / Math.E);
      const parts = combinedLoss({ alpha: 0.5, beta: 2, gamma: 3 })({ queryEmb: qe, passageEmb: pe, teacherProbs: pt, assistantProbs: pa });
      close(parts.contrastive!.dataSync()[0], con);
      close(parts.teacherKl!.dataSync()[0], klT);
      close(parts.assistantKl!.dataSync()[0], klA);
      close(parts.total.dataSync()[0], 0.5 * con + 2 * klT + 3 * klA);
      tf.dispose([qe, pe, pt, pa, parts.total, parts.contrastive!, parts.teacherKl!, parts.assistantKl!]);
    });

    it('γ = 0 ("w/o assistants") neither needs nor computes the assistant part', () => {
      const qe = tf.tensor2d([[1, 0]]);
      const pe = tf.tensor2d([[1, 0], [0, 1]]);
      const pt = tf.tensor2d([[0.5, 0.5]]);
      const parts = combinedLoss({ alpha: 1, beta: 1, gamma: 0 })({ queryEmb: qe, passageEmb: pe, teacherProbs: pt });
      assert.equal(parts.assistantKl, undefined);
      assert.throws(() => combinedLoss({ alpha: 0, beta: 0, gamma: 1 })({ queryEmb: qe, passageEmb: pe }), /needs assistantProbs/);
      tf.dispose([qe, pe, pt, parts.total, parts.contrastive!, parts.teacherKl!]);
    });

    it('has gradients w.r.t. the embeddings equal to central finite differences', () => {
      const pt = tf.tensor2d([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]);
      const pa = tf.tensor2d([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1]]);
      const pe = tf.tensor2d(values(12, 7), [6, 2]);
      const loss = combinedLoss({ alpha: 0.5, beta: 1, gamma: 0.7, studentTemperature: 0.8 });
      checkGradient((x) => {
        const parts = loss({ queryEmb: x as tf.Tensor2D, passageEmb: pe, teacherProbs: pt, assistantProbs: pa });
        return parts.total;
      }, values(4, 8), [2, 2]);
      tf.dispose([pt, pa, pe]);
    });
  });

  it('groupScores computes each query against its own group', () => {
    const s = groupScores(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, 0], [0, 1], [1, 1], [2, 0]]));
    assert.deepEqual(Array.from(s.dataSync()), [1, 2, 7, 6]);
    s.dispose();
  });
});
