/**
 * Names of the student presets (a leaf: lib/config validates `student.preset` against this list).
 * `default`: the GloVe-initialised transformer; `distilbert-base`: the 66M full-scale shape;
 * `hashed-lexical`: the hashed lexical dual encoder (lib/models/lexical), a BM25-like start.
 */
export const STUDENT_PRESETS = ['default', 'distilbert-base', 'hashed-lexical'] as const;

/** One student preset name. */
export type StudentPreset = (typeof STUDENT_PRESETS)[number];
