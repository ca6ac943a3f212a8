/** A cli-progress bar on stderr (plain periodic lines when stderr is not a terminal). */
import { SingleBar } from 'cli-progress';

/** Starts a progress bar of `total` steps labelled `label`. */
export function progressBar(label: string, total: number): { update(n: number): void; stop(): void } {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`,
    stream: process.stderr,
    noTTYOutput: !process.stderr.isTTY,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  bar.start(total, 0);
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}
