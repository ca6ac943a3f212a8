/**
 * A content-addressed step store: each pipeline step is keyed by a hash of its name and inputs
 * (which include the keys of the steps it depends on). A finished step is never recomputed; a
 * killed step resumes in its work folder; a changed config changes only the keys downstream of it.
 * The manifest lists every step with its inputs, output file hashes and time.
 */
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256, sha256File, writeJsonAtomic } from '../io';

/** What the manifest records about one finished step. */
export interface StepEntry {
  readonly name: string;
  readonly key: string;
  readonly dir: string;
  readonly inputs: unknown;
  readonly outputs: Record<string, string>;
  readonly startedAt: string;
  readonly elapsedS: number;
}

/** A step's value and the identity other steps depend on. */
export interface StepResult<T> {
  readonly key: string;
  readonly dir: string;
  readonly value: T;
  /** True when the value came from an earlier run. */
  readonly cached: boolean;
}

/** Manifest file contents. */
export interface Manifest {
  readonly steps: Record<string, StepEntry>;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // Temp files and folders of interrupted writes (checkpoints, atomic writes) are never outputs.
    if (e.name.startsWith('.tmp-') || (e.name.startsWith('.') && e.name.endsWith('.tmp'))) continue;
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

const RECORD = 'record.json';

/**
 * Runs and caches pipeline steps under `root/steps`. Each finished step keeps its own record, so
 * several processes may work on different steps of one folder at once (parallel seeds);
 * `writeManifest` gathers the records into `root/manifest.json`.
 */
export class StepStore {
  readonly manifestPath: string;
  /** Keys of the steps this process ran or reused, so a shared steps folder gets a manifest per experiment. */
  readonly used = new Set<string>();

  /** Steps live under `root/steps`; the manifest goes to `manifestDir` (default: root). */
  constructor(readonly root: string, manifestDir: string = root) {
    this.manifestPath = join(manifestDir, 'manifest.json');
  }

  /** The key a step with these inputs has (without running it). */
  keyOf(name: string, inputs: unknown): string {
    return sha256(name, inputs as object).slice(0, 20);
  }

  /**
   * Returns the cached value of step (name, inputs) or runs `produce(workDir)` to make it.
   * `produce` may write files into workDir; a crashed attempt leaves workDir for it to resume.
   */
  async run<T>(name: string, inputs: unknown, produce: (workDir: string) => Promise<T>): Promise<StepResult<T>> {
    const key = this.keyOf(name, inputs);
    const dir = join(this.root, 'steps', `${name}-${key}`);
    const valuePath = join(dir, 'value.json');
    this.used.add(key);
    if (existsSync(valuePath)) {
      return { key, dir, value: JSON.parse(readFileSync(valuePath, 'utf8')) as T, cached: true };
    }
    const work = `${dir}.work`;
    await fs.mkdir(work, { recursive: true });
    const started = Date.now();
    const value = await produce(work);
    await writeJsonAtomic(join(work, 'value.json'), value === undefined ? null : value);
    const outputs: Record<string, string> = {};
    for (const f of await listFiles(work)) if (!f.endsWith(RECORD)) outputs[relative(work, f)] = await sha256File(f);
    const record: StepEntry = {
      name, key, dir: relative(this.root, dir), inputs, outputs,
      startedAt: new Date(started).toISOString(), elapsedS: (Date.now() - started) / 1000,
    };
    await writeJsonAtomic(join(work, RECORD), record);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(work, dir);
    return { key, dir, value, cached: false };
  }

  /** Every finished step's record, in the order they finished. */
  records(): StepEntry[] {
    const steps = join(this.root, 'steps');
    if (!existsSync(steps)) return [];
    const out: StepEntry[] = [];
    for (const d of readdirSync(steps)) {
      const p = join(steps, d, RECORD);
      if (!d.endsWith('.work') && existsSync(p)) out.push(JSON.parse(readFileSync(p, 'utf8')) as StepEntry);
    }
    return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** Writes the manifest: every finished step (or those in `only`) with its inputs, output hashes and time. */
  async writeManifest(extra: Record<string, unknown> = {}, only?: Iterable<string>): Promise<Manifest> {
    const keep = only ? new Set(only) : undefined;
    const manifest: Manifest = { ...extra, steps: Object.fromEntries(this.records().filter((r) => !keep || keep.has(r.key)).map((r) => [r.key, r])) };
    await writeJsonAtomic(this.manifestPath, manifest);
    return manifest;
  }
}
