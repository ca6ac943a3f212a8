/** Curriculum: per-query difficulty, the "got wrong" rule, hard-negative mining, per-iteration data. */
export * from './difficulty';
export * from './hardNegatives';
export * from './iterationData';
