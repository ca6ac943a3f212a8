/**
 * Flag parsing shared by every subcommand: strict (unknown flags are errors), with a usage line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A user error on the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flag values: strings, booleans, or arrays of them for `multiple` flags. */
export type FlagValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** Parses `argv` strictly against `options`; unknown or malformed flags throw a UsageError. */
export function parseFlags(argv: string[], options: Options, usage: string): FlagValues {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as FlagValues;
  } catch (e) {
    throw new UsageError((e as Error).message, usage);
  }
}

/** Returns a required string flag or throws a UsageError naming it. */
export function requireFlag(values: Record<string, unknown>, name: string, usage: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`missing required flag --${name}`, usage);
  return v;
}

/** Parses a numeric flag, failing with the flag's name on a non-number. */
export function numberFlag(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${String(v)}'`);
  return n;
}

/** Parses an integer flag in [min, max], failing with the flag's name otherwise (`--k 2.5`, `--k 0`). */
export function intFlag(values: Record<string, unknown>, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER, usage?: string): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}…${max}`;
    throw new UsageError(`--${name} must be an integer ${range}, got '${String(v)}'`, usage);
  }
  return n;
}

/** A name flag (run tag, row name): non-empty, no whitespace, so it survives a TREC run's columns. */
export function nameFlag(values: Record<string, unknown>, name: string, usage?: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '' || /\s/.test(v)) throw new UsageError(`--${name} must be a non-empty name without spaces, got '${String(v)}'`, usage);
  return v;
}
