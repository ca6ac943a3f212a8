/**
 * The option names of every method choice, as const lists: the schema (this folder) validates
 * against them and the modules that implement them (lib/assistants, lib/curriculum, ...) derive
 * their TypeScript types from them, so a new option is added in one place.
 */

/** How a model's per-query scores are put on a common scale before the softmax. */
export const NORMALISATIONS = ['zscore', 'minmax', 'raw'] as const;
/** How the assistants' distributions are fused into one. */
export const FUSION_METHODS = ['mean', 'zscore-mean', 'rrf', 'weighted'] as const;
/** How the per-batch assistant is chosen against the teacher. */
export const SELECTION_MEASURES = ['kl', 'footrule', 'rbo', 'fixed', 'random'] as const;
/** What a model's missing score (a pair its run file does not hold) becomes. */
export const MISSING_POLICIES = ['min-minus-margin', 'drop', 'rank'] as const;
/** Where the harder data's new candidates come from. */
export const NEGATIVE_SOURCES = ['student', 'teacher'] as const;
/** Student size presets. */
export { STUDENT_PRESETS, type StudentPreset } from '../models/presets';
/** Student initialisations. */
export const STUDENT_INITS = ['glove', 'random', 'hf'] as const;
/** What a table row does: run the method, evaluate a bundled run, or evaluate the initial student. */
export const ROW_KINDS = ['trained', 'run', 'untrained'] as const;

export type Normalisation = (typeof NORMALISATIONS)[number];
export type FusionMethod = (typeof FUSION_METHODS)[number];
export type SelectionMeasure = (typeof SELECTION_MEASURES)[number];
export type MissingPolicyName = (typeof MISSING_POLICIES)[number];
export type NegativeSource = (typeof NEGATIVE_SOURCES)[number];
export type StudentInit = (typeof STUDENT_INITS)[number];
export type RowKind = (typeof ROW_KINDS)[number];
