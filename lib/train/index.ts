/** Training: distillation losses, AdamW + schedule, the trainer with checkpoints/resume, and progress. */
export * from './losses';
export * from './schedule';
export * from './adamw';
export * from './clip';
export * from './groups';
export * from './checkpoint';
export * from './metrics-log';
export * from './progress';
export * from './loss-svg';
export * from './trainer';
export * from './select-target';
export * from './rerank-eval';
