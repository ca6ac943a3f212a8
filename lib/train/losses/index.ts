/** Distillation and ranking losses on tfjs tensors (differentiable w.r.t. the student's scores). */
export * from './listwise-kl';
export * from './contrastive';
export * from './margin-mse';
export * from './group-scores';
export * from './combined';
