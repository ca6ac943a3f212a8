/**
 * The log of a long job and its one live progress display. Every message goes to the run's log file
 * (`OUT/run.log`, appended, so a resumed run keeps the earlier lines); the reader sees one display —
 * tslab's updating display in a notebook, a progress bar in a terminal — with tasks done / total, the
 * current tasks, elapsed time and ETA. A note that repeats per task ("dl20: qrels … not in collection")
 * is shown once at the end with its count. `mode: 'lines'` prints every message as before.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SingleBar } from 'cli-progress';

/** 'auto': notebook display in a tslab kernel, else a bar on a terminal, else lines; 'none': file only. */
export type RunLogMode = 'auto' | 'bar' | 'notebook' | 'lines' | 'none';

/** Options of {@link createRunLog}. */
export interface RunLogOptions {
  /** File every message is appended to (created with its folder). */
  readonly file?: string;
  readonly mode?: RunLogMode;
  /** Where lines and the bar go (default process.stderr). */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** A job's log: messages, task progress, and the summary of repeated notes. */
export interface RunLog {
  /** Logs one message (to the file; to the screen only in 'lines' mode). */
  (message: string): void;
  /** Declares how many tasks the job has (may be called again when it grows). */
  tasks(total: number): void;
  /** A task started (label shown as current). */
  started(label: string): void;
  /** A task finished. */
  finished(label: string): void;
  /** Ends the display; returns the summary lines it showed (log file, repeated notes with counts). */
  close(): string[];
  readonly file?: string;
}

interface TslabDisplay {
  html(s: string): void;
}

/** True when this process is a tslab kernel (tslab's jupyter module is loaded): no heavy require otherwise. */
export function inTslabKernel(): boolean {
  return Object.keys(require.cache).some((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
}

function notebookDisplay(): TslabDisplay | undefined {
  if (!inTslabKernel()) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('tslab') as { newDisplay(): TslabDisplay }).newDisplay();
  } catch {
    return undefined;
  }
}

/** A note's text without the task prefix, so the same note from every task counts as one. */
export function noteKey(message: string): string | undefined {
  const m = /^(?:\[[^\]]*\]\s*)?\s*(note|warning|warn):\s*(.*)$/i.exec(message.trim());
  return m ? `${m[1].toLowerCase()}: ${m[2]}` : undefined;
}

/** Minutes and seconds, e.g. "3m 07s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]!));
}

/** Opens the log of a job (see the module header). */
export function createRunLog(options: RunLogOptions = {}): RunLog {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  const requested = options.mode ?? 'auto';
  const display = requested === 'notebook' || requested === 'auto' ? notebookDisplay() : undefined;
  const mode: RunLogMode = display ? 'notebook'
    : requested === 'auto' ? (stream.isTTY ? 'bar' : 'lines')
      : requested === 'notebook' ? 'lines' : requested;
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });
  const notes = new Map<string, number>();
  const current = new Set<string>();
  let total = 0;
  let done = 0;
  let lastDraw = 0;
  let bar: SingleBar | undefined;

  const write = (message: string): void => {
    if (options.file) appendFileSync(options.file, `${new Date(now()).toISOString()} ${message}\n`);
  };
  const status = (): { elapsed: string; eta: string; running: string } => {
    const elapsedS = (now() - started) / 1000;
    const eta = done > 0 && total > done ? formatDuration((elapsedS / done) * (total - done)) : done >= total && total > 0 ? '0s' : '–';
    return { elapsed: formatDuration(elapsedS), eta, running: [...current].join(', ') || '–' };
  };
  const draw = (force = false): void => {
    if (mode === 'notebook' && display) {
      const t = now();
      if (!force && t - lastDraw < 500) return;
      lastDraw = t;
      const s = status();
      const pct = total > 0 ? Math.round((100 * done) / total) : 0;
      try {
        display.html(`<div style="font-family:monospace"><progress value="${done}" max="${Math.max(total, 1)}"></progress> ` +
          `tasks ${done}/${total} (${pct}%) · elapsed ${s.elapsed} · ETA ${s.eta}<br>running: ${escapeHtml(s.running)}</div>`);
      } catch {
        // A display that fails must not stop the job.
      }
    } else if (mode === 'bar' && total > 0) {
      const s = status();
      if (!bar) {
        bar = new SingleBar({ stream, format: 'tasks [{bar}] {value}/{total} | {elapsedS} elapsed | ETA {etaS} | {running}', hideCursor: false, noTTYOutput: !stream.isTTY });
        bar.start(total, done, { elapsedS: s.elapsed, etaS: s.eta, running: s.running });
      }
      bar.setTotal(total);
      bar.update(done, { elapsedS: s.elapsed, etaS: s.eta, running: s.running });
    }
  };

  const log = ((message: string) => {
    write(message);
    const key = noteKey(message);
    if (key) notes.set(key, (notes.get(key) ?? 0) + 1);
    if (mode === 'lines' && (!key || notes.get(key) === 1)) stream.write(`${message}\n`);
  }) as RunLog;
  log.tasks = (n) => { total = n; draw(true); };
  log.started = (label) => { current.add(label); write(`started ${label}`); draw(); };
  log.finished = (label) => { current.delete(label); done++; write(`finished ${label}`); draw(true); };
  log.close = () => {
    bar?.stop();
    draw(true);
    const summary: string[] = [];
    for (const [note, count] of notes) if (count > 1 || mode !== 'lines') summary.push(count > 1 ? `${note} (×${count})` : note);
    if (options.file) summary.push(`full log: ${options.file}`);
    if (mode !== 'none' && summary.length > 0) {
      if (mode === 'notebook' && display) {
        try {
          display.html(`<div style="font-family:monospace">tasks ${done}/${total} · ${status().elapsed}<br>${summary.map(escapeHtml).join('<br>')}</div>`);
        } catch { /* see draw */ }
      } else stream.write(`${summary.join('\n')}\n`);
    }
    return summary;
  };
  Object.defineProperty(log, 'file', { value: options.file });
  return log;
}
