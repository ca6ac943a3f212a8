/**
 * Runs one benchmark configuration in a fresh child process, so each figure has its own peak
 * memory and no state (registered kernels, wasm heap growth, JIT) leaks between configurations.
 * Files starting with '_' are helpers, not benchmarks (`mta4dpr bench` skips them).
 */
import { spawn } from 'node:child_process';

/** Flags that run code of their own (`-e`, `-p`): a child given them would run the parent's script again, and so on. */
const CODE_FLAGS = new Set(['-e', '--eval', '-p', '--print']);

/** The parent's node flags (tsx's loader among them) without the ones that run code of their own. */
export function childExecArgv(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i];
    if (CODE_FLAGS.has(a)) i++; // and its code
    else if (![...CODE_FLAGS].some((f) => a.startsWith(`${f}=`))) out.push(a);
  }
  return out;
}

/** Spawns `file --child JSON` with the same loader flags (tsx or plain node) and returns its JSON. */
export function runChild(file: string, config: object, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...childExecArgv(), file, '--child', JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-2000)));
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve({ ...config, ...(JSON.parse(line) as Record<string, unknown>) });
      } catch (e) {
        resolve({ ...config, error: `${(e as Error).message}: ${err.trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

/** In a child: runs `measure(config)` and prints its JSON as the last stdout line. */
export function childMain<C>(measure: (config: C) => Promise<object>): boolean {
  const i = process.argv.indexOf('--child');
  if (i < 0) return false;
  const config = JSON.parse(process.argv[i + 1]) as C;
  measure(config).then((r) => {
    console.log(JSON.stringify({ ...r, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  }, (e) => {
    console.error((e as Error).stack ?? e);
    process.exit(1);
  });
  return true;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
