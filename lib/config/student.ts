/**
 * The student: size preset, initialisation and architecture overrides. The override keys are
 * the fields of lib/models' StudentConfigSchema; lib/pipeline/validate.ts checks them before work
 * (this folder does not import lib/models).
 */
import { z } from 'zod';
import { STUDENT_INITS, STUDENT_PRESETS } from './enums';

export const StudentSchema = z.strictObject({
  preset: z.enum(STUDENT_PRESETS).default('default'),
  /** glove: GloVe word pieces + projection; random; hf: a Hugging Face folder (full scale). */
  init: z.enum(STUDENT_INITS).default('glove'),
  hfModel: z.string().optional(),
  overrides: z.record(z.string(), z.unknown()).default({}),
}).refine((s) => s.init !== 'hf' || s.hfModel !== undefined, { message: "init 'hf' needs hfModel (a Hugging Face model folder)", path: ['hfModel'] });
/** A validated student choice. */
export type StudentChoice = z.output<typeof StudentSchema>;
