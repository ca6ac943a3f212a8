/**
 * Reading a config file: JSON errors and schema errors both become a ConfigError naming the file.
 * Relative model and dataset paths mean "next to the config file", wherever the process runs.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveDatasetPathsIn } from './dataset';
import { ConfigError } from './errors';
import { parseExperimentConfig, type ExperimentConfig } from './experiment';
import { resolveModelPathsIn } from './model';

/** Reads and validates an ExperimentConfig JSON file. */
export function loadExperimentConfig(path: string): ExperimentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(path, [(e as Error).message]);
  }
  return parseExperimentConfig(withAbsolutePaths(raw, dirname(resolve(path))), path);
}

/** The raw config with model paths (anywhere, row overrides included) and dataset paths resolved against `baseDir`. */
function withAbsolutePaths(raw: unknown, baseDir: string): unknown {
  const out = resolveModelPathsIn(raw, baseDir);
  if (typeof out !== 'object' || out === null || Array.isArray(out)) return out;
  let o = out as Record<string, unknown>;
  if ('datasets' in o) o = { ...o, datasets: resolveDatasetPathsIn(o.datasets, baseDir) };
  const data = o.data as Record<string, unknown> | undefined;
  if (typeof data === 'object' && data !== null && typeof data.root === 'string' && data.root !== '') o = { ...o, data: { ...data, root: resolve(baseDir, data.root) } };
  return o;
}
