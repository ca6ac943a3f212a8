/**
 * `mta4dpr data check`: loads every dataset a config declares (its `datasets` object and the names
 * in `data.train` / `data.test`), or one dataset given by `--format` and its files, and prints the
 * counts and every skipped or suspicious record with file:line. `--strict` exits 1 on any.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Command } from '../cli';
import { parseFlags, UsageError, type FlagValues } from './args';
import { DATASET_FORMATS, DatasetSpecSchema, DatasetSpecsSchema, type DatasetSpecs } from '../config/dataset';
import { checkDataset, type DatasetCheck } from '../data/check';
import { datasetResolver, type DatasetResolver } from '../data/resolver';
import { isEmbeddedDataset, type Dataset } from '../data/registry';
import type { LoadReport } from '../data/types';

const USAGE = 'mta4dpr data check (--config FILE | --format FORMAT [--dir DIR] [--documents F] [--queries F] [--qrels F|NAME] [--retriever F] [--run SYSTEM=FILE]...) [--qrels-columns auto|qid,ignore,docid,grade] [--query-ids auto|original|sequential] [--strict] [--json]';

const HELP = `usage: ${USAGE}

  --config FILE       an experiment config: checks every dataset of its "datasets" object (paths
                      relative to the config's folder) and the names in data.train / data.test
  --format FORMAT     one dataset from files instead: ${DATASET_FORMATS.join(', ')}
  --dir DIR           the folder of a beir dataset (corpus.jsonl, queries.jsonl, qrels/NAME.tsv)
  --documents FILE    documents (SMART .I records, TREC SGML/JSONL/TSV, collection.tsv, psgs TSV)
  --queries FILE      queries / topics (qa CSV for dpr)
  --qrels FILE|NAME   qrels file (beir: the NAME of qrels/NAME.tsv, default test)
  --retriever FILE    dpr retriever JSON / JSONL
  --run SYSTEM=FILE   a TREC run over the dataset (repeatable)
  --qrels-columns C   qrels column order (default auto: BEIR header, qid docid grade, TREC, qid docid 0 0)
  --query-ids I       smart query ids: auto (match the qrels), original (.I numbers), sequential (1..n)
  --strict            exit 1 when any record was skipped or flagged, or a reader warned
  --json              print one JSON report

Exit status: 0 checked, 1 a dataset failed to load or (--strict) has problems, 2 bad flags or config.`;

/** A config problem: printed as `FILE: KEY.PATH: message` lines, exit 2, no stack trace. */
export class DataConfigError extends UsageError {
  constructor(source: string, issues: readonly string[]) {
    super(`${source}: invalid config\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'DataConfigError';
  }
}

/** A zod issue's message, with "required" for a missing field and a bad record key's own message. */
function issueMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_key') return i.issues[0]?.message ?? i.message;
  if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) return 'required';
  return i.message;
}

/** `a.b.c: message` for each zod issue. */
function issueLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${issueMessage(i)}`);
}

/** The only keys `data check` reads from a config until the experiment schema carries them. */
const ConfigDataSchema = z.object({
  datasets: DatasetSpecsSchema.default({}),
  data: z.object({
    train: z.array(z.string().min(1)).optional(),
    test: z.array(z.string().min(1)).optional(),
  }).loose().optional(),
}).loose();

interface Target {
  readonly name: string;
  readonly source: DatasetCheck['source'];
  load(): Promise<Dataset>;
}

/** A config's dataset keys, and a resolver over its `datasets` (paths relative to its folder); config problems throw DataConfigError. */
export function readConfigDatasets(path: string): { readonly data: z.output<typeof ConfigDataSchema>; readonly resolver: DatasetResolver } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new DataConfigError(path, [err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory, not a file' : err.message]);
  }
  const parsed = ConfigDataSchema.safeParse(raw);
  if (!parsed.success) throw new DataConfigError(path, issueLines(parsed.error));
  return { data: parsed.data, resolver: datasetResolver(parsed.data.datasets, dirname(resolve(path))) };
}

/** Reads a config's datasets and names; every unknown name is a config error before anything is loaded. */
function configTargets(path: string): Target[] {
  const { data, resolver } = readConfigDatasets(path);
  const specs: DatasetSpecs = data.datasets;
  const known = new Set(resolver.names());
  const unknown: string[] = [];
  const named: string[] = [];
  for (const side of ['train', 'test'] as const) {
    (data.data?.[side] ?? []).forEach((n, i) => {
      if (!known.has(n)) unknown.push(`data.${side}.${i}: unknown dataset "${n}" (known: ${[...known].join(', ')})`);
      else named.push(n);
    });
  }
  if (unknown.length > 0) throw new DataConfigError(path, unknown);
  const targets: Target[] = Object.keys(specs).map((n) => ({ name: n, source: 'config', load: () => resolver.load(n) }));
  for (const n of new Set(named)) {
    if (Object.hasOwn(specs, n)) continue;
    targets.push({ name: n, source: n.includes('/') ? 'split' : isEmbeddedDataset(n) ? 'embedded' : 'config', load: () => resolver.load(n) });
  }
  if (targets.length === 0) throw new DataConfigError(path, ['datasets: the config declares no dataset and names none in data.train / data.test']);
  return targets;
}

function str(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** One dataset from `--format` and file flags, validated by the same schema as a config's. */
function flagTarget(flags: FlagValues): Target {
  const runs: Record<string, string> = {};
  for (const r of (flags.run as string[] | undefined) ?? []) {
    const cut = r.indexOf('=');
    if (cut <= 0 || cut === r.length - 1) throw new UsageError(`--run must be SYSTEM=FILE, got '${r}'`, USAGE);
    runs[r.slice(0, cut)] = r.slice(cut + 1);
  }
  const columns = str(flags, 'qrels-columns');
  const spec: Record<string, unknown> = {
    format: str(flags, 'format'),
    ...(str(flags, 'dir') !== undefined ? { dir: str(flags, 'dir') } : {}),
    ...(str(flags, 'documents') !== undefined ? { documents: str(flags, 'documents') } : {}),
    ...(str(flags, 'queries') !== undefined ? { queries: str(flags, 'queries') } : {}),
    ...(str(flags, 'qrels') !== undefined ? { qrels: str(flags, 'qrels') } : {}),
    ...(str(flags, 'retriever') !== undefined ? { retriever: str(flags, 'retriever') } : {}),
    ...(columns !== undefined ? { qrelsColumns: columns === 'auto' ? 'auto' : columns.split(',').map((c) => c.trim()) } : {}),
    ...(str(flags, 'query-ids') !== undefined ? { queryIds: str(flags, 'query-ids') } : {}),
    ...(Object.keys(runs).length > 0 ? { runs } : {}),
  };
  const parsed = DatasetSpecSchema.safeParse(spec);
  if (!parsed.success) {
    // Name the flag, not the spec key: `qrelsColumns` is `--qrels-columns` here.
    const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const say = (i: z.core.$ZodIssue): string => {
      const m = issueMessage(i);
      return `${i.path.length ? flag(String(i.path[0])) : '(flags)'}: ${m}${m === 'required' ? ` for --format ${String(spec.format)}` : ''}`;
    };
    throw new UsageError(parsed.error.issues.map(say).join('; '), USAGE);
  }
  const resolver = datasetResolver({ files: parsed.data }, process.cwd());
  return { name: 'files', source: 'files', load: () => resolver.load('files') };
}

/** The text report of one check. */
function formatCheck(c: DatasetCheck): string {
  const lines = [`${c.name} (${c.source})${c.contentHash ? `  sha256 ${c.contentHash.slice(0, 16)}` : ''}  ${c.error ? 'FAILED' : c.ok ? 'ok' : 'PROBLEMS'}`];
  if (c.error) lines.push(`  error: ${c.error}`);
  if (c.counts) {
    const n = c.counts;
    lines.push(`  documents ${n.documents}  queries ${n.queries}  judged queries ${n.judgedQueries}  judgments ${n.judgments}  runs ${n.runs}`);
  }
  for (const r of c.reports) lines.push(`  ${r.file}: ${r.records} records, ${r.skipped.length} skipped, ${r.suspicious.length} suspicious`);
  for (const p of c.problems) lines.push(`  ${p}`);
  for (const w of c.warnings) lines.push(`  ${/(^|: )note: /.test(w) ? '' : 'warning: '}${w}`);
  return lines.join('\n');
}

async function check(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    config: { type: 'string' }, format: { type: 'string' }, dir: { type: 'string' }, documents: { type: 'string' },
    queries: { type: 'string' }, qrels: { type: 'string' }, retriever: { type: 'string' }, run: { type: 'string', multiple: true },
    'qrels-columns': { type: 'string' }, 'query-ids': { type: 'string' }, strict: { type: 'boolean' }, json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const config = str(flags, 'config');
  if ((config === undefined) === (str(flags, 'format') === undefined)) throw new UsageError('give either --config or --format with its files', USAGE);
  if (config !== undefined) {
    const extra = ['dir', 'documents', 'queries', 'qrels', 'retriever', 'run', 'qrels-columns', 'query-ids'].filter((f) => flags[f] !== undefined);
    if (extra.length > 0) throw new UsageError(`--${extra[0]} goes with --format, not --config (a config names its files)`, USAGE);
  }
  const targets = config !== undefined ? configTargets(config) : [flagTarget(flags)];
  const checks: DatasetCheck[] = [];
  const seen = new Set<LoadReport>();
  for (const t of targets) {
    const c = await checkDataset(t.name, t.source, () => t.load(), seen);
    checks.push(c);
    if (!flags.json) console.log(formatCheck(c));
  }
  const failed = checks.some((c) => c.error !== undefined);
  const problems = checks.reduce((s, c) => s + c.problems.length, 0);
  const strict = Boolean(flags.strict);
  const ok = !failed && (!strict || problems === 0);
  if (flags.json) {
    console.log(JSON.stringify({ ok, strict, problems, datasets: checks }, null, 2));
  } else {
    console.log(`${checks.length} dataset(s), ${problems} problem line(s)${failed ? ', some failed to load' : ''}${strict && problems > 0 ? ' (--strict: failing)' : ''}`);
  }
  return ok ? 0 : 1;
}

export const command: Command = {
  summary: 'check datasets: counts, and every skipped or suspicious record with file:line (data check --config C | --format F …)',
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      console.log(HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'check') throw new UsageError(`unknown data subcommand '${sub}' (known: check)`, USAGE);
    return check(rest);
  },
};
