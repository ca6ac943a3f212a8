/** Curriculum: per-query difficulty, the "got wrong" rule, hard-negative mining. */
export * from './difficulty';
export * from './hardNegatives';
