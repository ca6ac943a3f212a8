/**
 * Training progress: a cli-progress bar on stderr in a terminal or a log, or — inside a tslab
 * notebook kernel — one display entry updated in place with the loss curve, throughput and the
 * live tensor count. Outside a kernel the notebook mode falls back silently to the bar.
 */
import { SingleBar } from 'cli-progress';
import { lossCurveSvg } from './loss-svg';
import { inTslabKernel } from '../progress/runLog';

/** What the trainer reports after each step. */
export interface ProgressUpdate {
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
  readonly examplesPerSec: number;
  readonly tensors: number;
  readonly assistant?: string;
}

/** A progress sink. */
export interface Progress {
  update(u: ProgressUpdate): void;
  stop(): void;
}

/** 'auto': notebook display inside a tslab kernel, else the bar; 'none': silent. */
export type ProgressMode = 'auto' | 'bar' | 'notebook' | 'none';

interface TslabDisplay {
  html(s: string): void;
}


/** Lazily opens a tslab display; undefined when not in a kernel or when tslab refuses ("Not ready"). */
function openNotebookDisplay(): TslabDisplay | undefined {
  if (!inTslabKernel()) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const display = (require('tslab') as { newDisplay(): TslabDisplay }).newDisplay();
    display.html('<div>training: starting…</div>');
    return display;
  } catch {
    return undefined;
  }
}

class BarProgress implements Progress {
  private readonly bar: SingleBar;
  constructor(total: number, start: number) {
    this.bar = new SingleBar({
      stream: process.stderr,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10000,
      format: 'train [{bar}] {value}/{total} | loss {loss} | lr {lr} | {eps} groups/s | {tensors} tensors {assistant}',
      hideCursor: false,
    });
    this.bar.start(total, start, { loss: '-', lr: '-', eps: '-', tensors: '-', assistant: '' });
  }
  update(u: ProgressUpdate): void {
    this.bar.update(u.step, {
      loss: u.loss.toFixed(4),
      lr: u.lr.toExponential(2),
      eps: u.examplesPerSec.toFixed(2),
      tensors: u.tensors,
      assistant: u.assistant ? `| ${u.assistant}` : '',
    });
  }
  stop(): void {
    this.bar.stop();
  }
}

class NotebookProgress implements Progress {
  private readonly points: Array<[number, number]> = [];
  private lastDraw = 0;
  constructor(private readonly display: TslabDisplay, private readonly total: number) {}
  update(u: ProgressUpdate): void {
    this.points.push([u.step, u.loss]);
    // Redraw at most twice a second: each redraw is a Jupyter message carrying the whole SVG.
    const now = Date.now();
    if (now - this.lastDraw < 500 && u.step < this.total) return;
    this.lastDraw = now;
    this.draw(u);
  }
  private draw(u: ProgressUpdate): void {
    const info = `step ${u.step}/${this.total} · loss ${u.loss.toFixed(4)} · lr ${u.lr.toExponential(2)} · ${u.examplesPerSec.toFixed(2)} groups/s · ${u.tensors} live tensors${u.assistant ? ` · assistant ${u.assistant}` : ''}`;
    try {
      this.display.html(`<div style="font-family:monospace">${info}</div>${lossCurveSvg(this.points)}`);
    } catch {
      // A display that fails mid-run must not stop training.
    }
  }
  stop(): void {}
}

/** Creates the progress sink for `mode` (total steps, first step). */
export function createProgress(mode: ProgressMode, total: number, start: number): Progress {
  if (mode === 'none') return { update() {}, stop() {} };
  if (mode === 'notebook' || mode === 'auto') {
    const display = openNotebookDisplay();
    if (display) return new NotebookProgress(display, total);
  }
  return new BarProgress(total, start);
}
